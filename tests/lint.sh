#!/bin/sh
# Source rules the compiler cannot enforce, then cppcheck, over the
# program's sources (util parser store crawler pipeline reports cli; the fuzz
# targets get cppcheck only).  Prints offenders; exits 1 when there are any.
#  - every .c includes util/banned.h (last among its includes) and names
#    none of the banned functions, even where a macro could hide them;
#  - memory comes from the xmalloc family: no file but util/xalloc.c calls
#    malloc, calloc, realloc, strdup or strndup, so that out of memory ends
#    in one place (xalloc_die) and sizes go through st_add/st_mult;
#  - the layers include only what is below them (docs/architecture.md):
#    util nothing; form (report, format, rules) and html (gumbo behind the
#    nesting guard) only util; parser form, html, util; store form, util;
#    crawler html, store, util; pipeline crawler, form, parser, store,
#    util; reports form, store, util.  cli may include any of them;
#  - cppcheck --enable=warning,performance,portability finds nothing.  An
#    inline "// cppcheck-suppress id" is allowed only with a comment on the
#    line above saying why the finding is wrong.
cd "$(dirname "$0")/.." || exit 2
status=0
DIRS="util form html parser store crawler pipeline reports cli"
files=$(find $DIRS -name '*.c' | sort)

for f in $files; do
	last=$(grep -n '^#include' "$f" | tail -n 1 | cut -d: -f2-)
	if [ "$last" != '#include "util/banned.h"' ]; then
		echo "$f: does not include util/banned.h last"
		status=1
	fi
done
# shellcheck disable=SC2086
if grep -nE '\b(strcpy|strcat|strncpy|sprintf|vsprintf|strtok|atoi|gets)[[:space:]]*\(' $files; then
	echo "^ banned functions (util/banned.h): use struct buf, snprintf, strtol"
	status=1
fi
# shellcheck disable=SC2086
if grep -nE '\b(malloc|calloc|realloc|reallocarray|strdup|strndup)[[:space:]]*\(' \
	$(echo "$files" | grep -v '^util/xalloc.c$'); then
	echo "^ raw allocation: use xmalloc, xcalloc, xrealloc, xstrdup (util/xalloc.h)"
	status=1
fi

# The layers: a directory and the project directories it may include from.
layers="util:
form:util
html:util
parser:form,html,util
store:form,util
crawler:html,store,util
pipeline:crawler,form,parser,store,util
reports:form,store,util"
for layer in $layers; do
	dir=${layer%%:*}
	allowed=",${layer#*:},$dir,"
	for f in "$dir"/*.c "$dir"/*.h; do
		[ -e "$f" ] || continue
		for inc in $(sed -n 's|^#include "\([a-z]*\)/.*|\1|p' "$f" | sort -u); do
			case " $DIRS " in
			*" $inc "*) ;;
			*) continue ;;
			esac
			case $allowed in
			*",$inc,"*) ;;
			*)
				echo "$f: includes $inc/, which $dir/ must not depend on"
				status=1
				;;
			esac
		done
	done
done

if ! command -v cppcheck >/dev/null 2>&1; then
	echo "cppcheck is not installed: make lint installs it (make deps)"
	exit 1
fi
# shellcheck disable=SC2086
if ! cppcheck --enable=warning,performance,portability --error-exitcode=1 --inline-suppr \
	--quiet --std=c11 -I. $DIRS fuzz; then
	echo "^ cppcheck"
	status=1
fi
[ "$status" -eq 0 ] && echo "lint: ok"
exit $status
