#!/usr/bin/env bash
# "Parlons ensemble" on the kiosk, headless, driven by scripts
# (kiosk/script.h) on a replica of tests/data/kiosk/fixture.json with
# three answered ideas: propose an idea with its theme, browse the ideas
# by theme, open one to read what became of it and the city's answer,
# support it once (the thanks stay in place of the button for the rest of
# the visit; the next visitor may support it again), in landscape
# (800x480) and portrait (1080x1920), French and English, normal and
# larger text. What the kiosk writes is checked with sqlite3. Prints
# "ok NAME" / "not ok NAME" per case.
set -u
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib/common.sh"
test_setup
kiosk_setup

run() { # db script-file: the kiosk on it, stderr to $tmp/err
    "$kiosk" --db "$1" --site site-test --kiosk test-1 --script "$2" 2>"$tmp/err"
}

db=$tmp/k.db
"$bin/sceaux-loadreplica" --db "$db" "$top/tests/data/kiosk/fixture.json" ||
    { echo "not ok setup"; exit 1; }
jardin='Un jardin partagé au pied des immeubles des Blagis, avec des bacs accessibles aux personnes en fauteuil et un composteur collectif.'
navette='Des navettes gratuites le samedi vers le marché.'
q "$db" "insert into proposal (id, text, domain, author_name, status, created_at, supports, outcome,
 answer, seq) values
 ('p-a', '$jardin', 'environnement', 'Zoé', 'published', '2026-11-20T10:00:00Z', 12, 'retenue',
  'La ville réserve une parcelle du parc des Blagis au printemps ; le conseil de quartier choisira les bacs avec les habitants.', 30),
 ('p-b', 'Un repair café une fois par mois à la médiathèque.', 'culture', null, 'published',
  '2026-11-21T10:00:00Z', 3, 'a_l_etude', null, 31),
 ('p-c', '$navette', 'mobilite', 'Léo', 'published', '2026-11-22T10:00:00Z', 5, 'non_retenue',
  'Le réseau de bus couvre déjà le marché le samedi : la ville renforce plutôt sa fréquence.', 32)"

# ---- an idea with its theme, to the outbox ----
t=propose-with-theme
cat >"$tmp/s" <<S
size 800x480
tap Idées
tap Votre idée
type Des jeux de société à la ludothèque le dimanche
tap Valider
tap Thème${nb}: Sans thème
expect Choisissez le thème de votre idée${nb}:
expect-not Votre idée
tap Culture
expect Thème${nb}: Culture
tap Envoyer
expect Merci${nn}! Votre idée sera relue avant publication.
S
if run "$db" "$tmp/s"; then
    row=$(q "$db" "select json_extract(change,'\$.table')||'|'||json_extract(change,'\$.row.status')||'|'||
        json_extract(change,'\$.row.domain')||'|'||json_extract(change,'\$.row.text') from outbox")
    if [ "$row" = "proposal|submitted|culture|Des jeux de société à la ludothèque le dimanche" ]; then
        ok $t
    else not_ok $t "row='$row'"; fi
else not_ok $t "script failed"; fi

# ---- browse by theme, the answer, support once: each size, language and text ----
declare -A fr=([ideas]=Idées [theme]="Thème${nb}: Tous" [mob]=Mobilité [back]=Retour
    [count]="1${nb}idée · Mobilité" [outcome]="Non retenue" [answer]="Réponse de la ville"
    [supports]="5${nb}soutiens" [support]="Je soutiens" [thanks]="Merci${nn}! Votre soutien est enregistré."
    [see]="Voir les idées (4)" [larger]="Texte plus grand" [lang]=English
    [about]="La ville ne la met pas en œuvre${nb}: sa réponse dit pourquoi.")
declare -A en=([ideas]=Ideas [theme]="Theme: All" [mob]=Mobility [back]=Back
    [count]="1${nb}idea · Mobility" [outcome]="Not adopted" [answer]="The city’s answer"
    [supports]="5${nb}supporters" [support]="I support this" [thanks]="Thank you! Your support is recorded."
    [see]="See the ideas (4)" [larger]="Larger text" [lang]=Français
    [about]="The city is not carrying it out: its answer says why.")

visit() { # lang text size: one visitor, then the idle reset
    local -n L=$1
    [ "$1" = en ] && echo "tap ${fr[lang]}"
    [ "$2" = large ] && echo "tap ${L[larger]}"
    echo "tap ${L[ideas]}"
    # Where the form leaves the list no room, a button opens it.
    [ "$3-$2" = 800x480-large ] && echo "tap ${L[see]}"
    cat <<S
tap ${L[theme]}
tap ${L[mob]}
expect ${L[count]}
expect-not $jardin
tap $navette
expect ${L[outcome]}
expect ${L[about]}
drag idea-detail 0 -400
expect ${L[answer]}
expect Le réseau de bus couvre déjà le marché le samedi
expect ${L[supports]}
tap ${L[support]}
expect ${L[thanks]}
expect-not ${L[support]}
screenshot $shots/ideas-$3-$1-$2.png
tap ${L[back]}
tap $navette
expect ${L[thanks]}
expect-not ${L[support]}
advance 95
advance 25
S
}
for size in 800x480 1080x1920; do
    t=browse-answer-support-$size
    q "$db" "delete from outbox"
    {
        echo "size $size"
        for v in "fr normal" "fr large" "en normal" "en large"; do
            # shellcheck disable=SC2086
            visit $v "$size"
        done
    } >"$tmp/s"
    if run "$db" "$tmp/s"; then
        got=$(q "$db" "select count(*), count(distinct json_extract(change,'\$.row.id')),
            group_concat(distinct json_extract(change,'\$.table')||':'||json_extract(change,'\$.row.proposal_id'))
            from outbox")
        # Four visitors, one support each, each its own support id.
        if [ "$got" = "4|4|proposal_support:p-c" ]; then ok $t; else not_ok $t "outbox: $got"; fi
    else not_ok $t "script failed"; fi
done

# ---- the themes scroll where they do not fit: larger text at 800x480
# under an urgent announcement ----
t=themes-scroll
cp "$db" "$tmp/u.db"
q "$tmp/u.db" "insert into announcement (id, title, body, priority, starts_at, ends_at, target, author, seq)
 values ('u1', 'Grand froid : appelez le 115', 'Si vous croisez une personne sans abri, appelez le 115.',
 'urgent', '2020-01-01T00:00:00Z', '2099-01-01T00:00:00Z', 'all', null, 40)"
cat >"$tmp/s" <<S
size 800x480
tap English
tap Larger text
tap Ideas
tap Theme: No theme
drag idea-themes 0 -300
dump $tmp/themes.json
screenshot $shots/ideas-themes-800x480-large.png
tap Environment
expect Theme: Environment
S
if run "$tmp/u.db" "$tmp/s"; then
    # The last chip whole (as high as the first), above the navigation.
    got=$(jq '[.elements[] | select(.label == "No theme" or .label == "Environment" or .label == "Home")]
        | map({(.label): .}) | add | .Environment.h == ."No theme".h
        and .Environment.y + .Environment.h <= .Home.y' "$tmp/themes.json")
    if [ "$got" = true ]; then ok $t; else not_ok $t "chips: $got"; fi
else not_ok $t "script failed"; fi

# ---- a theme without ideas says so, and offers the others ----
t=empty-theme
cat >"$tmp/s" <<S
size 1080x1920
tap Idées
tap Thème${nb}: Tous
tap Sport
expect Aucune idée publiée sur ce thème (Sport) pour l’instant.
tap Thème${nb}: Sport
tap Tous
expect 4${nb}idées
S
if run "$db" "$tmp/s"; then ok $t; else not_ok $t "script failed"; fi

test_done
