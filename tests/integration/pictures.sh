#!/usr/bin/env bash
# Pictures (issue 12), the kiosk's side and syncd's: rows name pictures by
# their SHA-256, syncd fetches them from the hub into the cache folder
# beside the replica, the kiosk draws them from there.
#   - kiosk alone (the cache filled by hand, as syncd would): a picture
#     shows on cards and detail pages with its alternative text in the
#     dump; a row without one, or whose file is missing, corrupt or a
#     decompression bomb, shows the placeholder, and a bad file is logged
#     once; screenshots at 800x480 and 1080x1920 (larger text too);
# Prints "ok NAME" / "not ok NAME" per case.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
export SDL_VIDEODRIVER=dummy SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy
not_ok_log=$tmp/err
fixture=$top/tests/data/kiosk/fixture.json
kiosk=$bin/sceaux-kiosk
mkpic=$bin/sceaux-mkpicture
shots=$top/build/screenshots
mkdir -p "$shots"

run() { # db script [args]: the kiosk, stderr to $tmp/err
    local db=$1 script=$2
    shift 2
    "$kiosk" --db "$db" --site site-test --kiosk test-1 --script "$script" "$@" 2>"$tmp/err"
}
# The wire time N seconds from now.
at() { date -u -d "@$(($(date +%s) + $1))" +%Y-%m-%dT%H:%M:%SZ; }
# role_of DUMP ALT: the role of the element whose label is ALT.
role_of() { jq -r --arg a "$2" '[.elements[] | select(.label == $a) | .role][0]' "$1"; }

# ---- kiosk alone ----
db=$tmp/k.db
pics=$db.pictures
"$bin/sceaux-loadreplica" --db "$db" "$fixture" || { echo "not ok setup"; exit 1; }
mkdir -p "$pics"
photo=$("$mkpic" --size 1280x720 --seed 1 --dir "$pics")
poster=$("$mkpic" --size 900x1280 --seed 2 --jpeg --dir "$pics")
logo=$("$mkpic" --size 600x600 --seed 3 --dir "$pics")
missing=$(printf 'never fetched' | sha256sum | cut -c1-64)
# A file that is not a picture, and a PNG header declaring 100,000 x
# 100,000 pixels, each under a name rows give.
corrupt=$(printf 'not a picture' | sha256sum | cut -c1-64)
printf 'not a picture' >"$pics/$corrupt"
bomb=$(printf 'bomb' | sha256sum | cut -c1-64)
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x01\x86\xa0\x00\x01\x86\xa0\x08\x06\x00\x00\x00' \
    >"$pics/$bomb"
q "$db" "update initiative set picture = '$photo', picture_alt = 'Les parcelles du jardin' where id = 'ini-jardin';
update initiative set picture = '$missing', picture_alt = 'Un atelier de réparation' where id = 'ini-velo';
update initiative set picture = '$corrupt', picture_alt = 'Une soirée entre parents' where id = 'ini-ecole';
update organization set picture = '$logo', picture_alt = 'Le logo de la Maison' where id = 'org-1';
insert into event (id, title, description, starts_at, ends_at, category, domain, picture, picture_alt, seq)
 values ('ev-fete', 'Fête des jardins', 'Visites, semis et goûter.', '$(at 1800)', '$(at 5400)', 'atelier',
 'agriculture', '$poster', 'L’affiche de la fête', 1),
 ('ev-bomb', 'Concert au kiosque', 'Fanfare du lycée.', '$(at 3600)', '$(at 7200)', 'autre', null,
 '$bomb', 'Une affiche trop grande', 2);
insert into announcement (id, title, body, priority, starts_at, ends_at, target, picture, picture_alt, seq)
 values ('ann-pic', 'Nouveau composteur', 'Un composteur partagé ouvre au jardin des Blagis.', 'info',
 '$(at -60)', '$(at 86400)', 'all', '$photo', 'Le composteur du jardin', 3);"

t=kiosk-pictures-and-placeholders
cat >"$tmp/s" <<'S'
tap Initiatives
wait-picture Les parcelles du jardin
dump list.json
tap Jardin partagé des Blagis
wait-picture Les parcelles du jardin
dump detail.json
tap Retour
tap Annuaire
wait-picture Le logo de la Maison
dump org.json
tap Annonces
wait-picture Le composteur du jardin
tap Agenda
wait-picture L’affiche de la fête
tap Fête des jardins
wait-picture L’affiche de la fête
S
if run "$db" "$tmp/s" --screenshots "$tmp"; then
    r1=$(role_of "$tmp/list.json" 'Les parcelles du jardin')
    r2=$(role_of "$tmp/list.json" 'Un atelier de réparation')
    r3=$(role_of "$tmp/list.json" 'Une soirée entre parents')
    r4=$(role_of "$tmp/detail.json" 'Les parcelles du jardin')
    r5=$(role_of "$tmp/org.json" 'Le logo de la Maison')
    if [ "$r1 $r2 $r3 $r4 $r5" = "picture placeholder placeholder picture picture" ]; then
        ok $t
    else not_ok $t "roles: $r1 $r2 $r3 $r4 $r5"; fi
else not_ok $t "kiosk exit $?"; fi

# The corrupt file and the bomb: the placeholder, one log line each, even
# when asked at several sizes (list and detail, two orientations).
t=kiosk-bad-picture-logged-once
cat >"$tmp/s" <<'S'
tap Initiatives
tap École des parents
wait Une soirée entre parents
size 480x800
wait Une soirée entre parents
tap Retour
tap Agenda
wait Une affiche trop grande
S
if run "$db" "$tmp/s" --screenshots "$tmp"; then
    nc=$(grep -c "cannot show picture '$corrupt'" "$tmp/err")
    nb=$(grep -c "cannot show picture '$bomb'.*over the limit" "$tmp/err")
    if [ "$nc" -eq 1 ] && [ "$nb" -eq 1 ]; then ok $t; else not_ok $t "logged $nc and $nb times"; fi
else not_ok $t "kiosk exit $?"; fi

# Screenshots: cards and details with pictures, both orientations, larger
# text; each also dumped, and the Back action and navigation whole.
t=kiosk-picture-screens
: >"$tmp/s"
for size in 800x480 1080x1920; do
    for large in no yes; do
        n=pictures-$size
        [ $large = yes ] && n=$n-large
        {
            echo "size $size"
            [ $large = yes ] && echo "tap Texte plus grand"
            echo "tap Initiatives"
            echo "screenshot $shots/$n-list.png"
            echo "dump $n-list.json"
            echo "tap Jardin partagé des Blagis"
            echo "wait-picture Les parcelles du jardin"
            echo "screenshot $shots/$n-detail.png"
            echo "dump $n-detail.json"
            echo "tap Retour"
            echo "tap Agenda"
            echo "screenshot $shots/$n-agenda.png"
            echo "tap Fête des jardins"
            echo "wait-picture L’affiche de la fête"
            echo "screenshot $shots/$n-event.png"
            echo "tap Retour"
            echo "tap Annonces"
            echo "wait-picture Le composteur du jardin"
            echo "screenshot $shots/$n-news.png"
            echo "tap Annuaire"
            echo "screenshot $shots/$n-directory.png"
            [ $large = yes ] && echo "tap Texte plus grand"
            echo "tap Accueil"
        } >>"$tmp/s"
    done
done
bad=
if run "$db" "$tmp/s" --screenshots "$tmp"; then
    for d in "$tmp"/pictures-*-detail.json; do
        jq -e '.width as $w | .height as $h | [.elements[] | select(.label == "Retour"
            or .label == "Je soutiens") | select(.x >= 0 and .y >= 0 and .x + .w <= $w
            and .y + .h <= $h and .h == .box_h)] | length == 2' "$d" >/dev/null || bad="$bad $d"
    done
    if [ -z "$bad" ]; then ok $t; else not_ok $t "actions cut in:$bad"; fi
else not_ok $t "kiosk exit $?"; fi

test_done
