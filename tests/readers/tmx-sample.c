/*
 * tmx-sample.c - write a small en/fr/zh TMX with the public API, for
 * check-tmx.py to hand to real TMX readers (Translate Toolkit, OmegaT).
 * It exists so that what those tools read is our writer's output; it is
 * not a test by itself and not a user tool.
 *
 * usage: tmx-sample OUT.tmx [UNPC_DIR]
 * prints the number of units written. Without UNPC_DIR: five units, UDHR
 * article 1 (GA resolution 217 A (III)) and UN Parallel Corpus devset
 * lines 539 and 8; origin and terms in ../data/tmx/SOURCE.md. With it:
 * every line of UNv1.0.devset.{en,fr,zh} in UNPC_DIR, one unit each, to
 * see how the readers cope with a memory of realistic size.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hexalign/hexalign.h>

#define TUV(lang, text)                                                        \
	{                                                                      \
		lang, text, sizeof(text) - 1                                   \
	}

static const hx_tmx_tuv title[] = {
    TUV("en", "Article 1"),
    TUV("fr", "Article premier"),
    TUV("zh", "第一条"),
};
static const hx_tmx_tuv s1[] = {
    TUV("en", "All human beings are born free and equal in dignity and "
	      "rights."),
    TUV("fr", "Tous les êtres humains naissent libres et égaux en dignité "
	      "et en droits."),
    TUV("zh", "人人生而自由,在尊严和权利上一律平等。"),
};
static const hx_tmx_tuv s2[] = {
    TUV("en", "They are endowed with reason and conscience and should act "
	      "towards one another in a spirit of brotherhood."),
    TUV("fr", "Ils sont doués de raison et de conscience et doivent agir "
	      "les uns envers les autres dans un esprit de fraternité."),
    TUV("zh", "他们赋有理性和良心,并应以兄弟关系的精神相对待。"),
};
/* "&" and "'" */
static const hx_tmx_tuv u539[] = {
    TUV("en", "It can accommodate six cascades, and is divided between an "
	      "area designated by Iran for the production of UF6 enriched up "
	      "to 20% U-235 (Cascades 1 and 6) and an area designated by Iran "
	      "for R&D (Cascades 2, 3, 4 and 5)."),
    TUV("fr", "Elle peut accueillir six cascades et comprend une zone "
	      "désignée par l'Iran pour la production d'UF6 enrichi jusqu'à "
	      "20 % en 235U (cascades 1 et 6) et une autre désignée par "
	      "l'Iran pour la R-D (cascades 2, 3, 4 et 5)."),
    TUV("zh", "该设施能容纳六套级联，并被分隔为一个伊朗指定的铀-235丰度达到"
	      "20%的六氟化铀生产区(1号和6号级联)和一个伊朗指定的研发区(2号、"
	      "3号、4号和5号级联)。"),
};
/* '"', "<<" and ">>" */
static const hx_tmx_tuv u8[] = {
    TUV("en", "According to preliminary information, the bombardment was "
	      "carried out using multiple \"Grad\" rocket launchers from "
	      "inside terrorist-controlled territory."),
    TUV("fr", "Selon les premières informations, le bombardement aurait été "
	      "effectué au moyen de lance-roquettes multiples << Grad >> "
	      "depuis le territoire contrôlé par les terroristes."),
    TUV("zh", "根据初步信息，这次攻击是用格拉德火箭发射器从恐怖分子所控制领土"
	      "内实施的。"),
};

static const hx_tmx_prop udhr[] = {{"x-document", "A/RES/217 (III)"}};
static const hx_tmx_prop s159[] = {{"x-document", "S/2015/159"}};
static const hx_tmx_prop s55[] = {{"x-document", "S/2015/55"}};

static const hx_tmx_tu units[] = {
    {title, 3, udhr, 1, "udhr-1-title"}, {s1, 3, udhr, 1, "udhr-1.1"},
    {s2, 3, udhr, 1, "udhr-1.2"},	 {u539, 3, s159, 1, "unpc-539"},
    {u8, 3, s55, 1, "unpc-8"},
};

/* One unit per line of the three parallel files; returns units or -1. */
static long add_unpc(hx_tmx_writer *w, const char *dir, hx_error *err)
{
	static const char *langs[] = {"en", "fr", "zh"};
	FILE *f[3] = {NULL, NULL, NULL};
	char *line[3] = {NULL, NULL, NULL}, path[1024], tuid[32];
	size_t cap[3] = {0, 0, 0};
	long n = 0, rc = -1;

	for (int k = 0; k < 3; k++) {
		snprintf(path, sizeof(path), "%s/UNv1.0.devset.%s", dir,
			 langs[k]);
		if (!(f[k] = fopen(path, "r"))) {
			hx_error_init(err);
			fprintf(stderr, "tmx-sample: %s: %s\n", path,
				strerror(errno));
			goto out;
		}
	}
	for (;;) {
		hx_tmx_tuv v[3];
		hx_tmx_prop p = {"x-corpus", "UNv1.0.devset"};
		hx_tmx_tu tu = {v, 3, &p, 1, tuid};
		int k;
		for (k = 0; k < 3; k++) {
			ssize_t len = getline(&line[k], &cap[k], f[k]);
			if (len < 0)
				break;
			if (len > 0 && line[k][len - 1] == '\n')
				len--;
			v[k] = (hx_tmx_tuv){langs[k], line[k], (size_t)len};
		}
		if (k < 3)
			break;
		snprintf(tuid, sizeof(tuid), "unpc-%ld", n + 1);
		if (hx_tmx_writer_add(w, &tu, err) < 0)
			goto out;
		n++;
	}
	rc = n;
out:
	for (int k = 0; k < 3; k++) {
		if (f[k])
			fclose(f[k]);
		free(line[k]);
	}
	return rc;
}

int main(int argc, char **argv)
{
	const hx_tmx_prop props[] = {{"x-generator", "tests/readers"}};
	hx_tmx_header h = {.srclang = "en", .props = props, .nprops = 1};
	long n = (long)(sizeof(units) / sizeof(units[0]));
	hx_tmx_writer *w = NULL;
	hx_error err;

	if (argc < 2 || argc > 3 || !strcmp(argv[1], "-")) {
		fprintf(stderr, "usage: tmx-sample OUT.tmx [UNPC_DIR]\n");
		return 2;
	}
	hx_error_init(&err);
	if (hx_tmx_writer_open(&w, argv[1], &h, &err) < 0)
		goto fail;
	if (argc == 3) {
		if ((n = add_unpc(w, argv[2], &err)) < 0) {
			hx_tmx_writer_free(w);
			goto fail;
		}
	} else {
		for (long i = 0; i < n; i++) {
			if (hx_tmx_writer_add(w, &units[i], &err) < 0) {
				hx_tmx_writer_free(w);
				goto fail;
			}
		}
	}
	if (hx_tmx_writer_close(w, &err) < 0)
		goto fail;
	printf("%ld\n", n);
	return 0;
fail:
	if (err.message[0])
		fprintf(stderr, "tmx-sample: %s\n", err.message);
	return 1;
}
