/* i18n: the French and English tables. French first: the kiosk speaks to
 * the people of Sceaux; English is the switch on the status bar. */
#include "i18n.h"

#include <stdio.h>
#include <string.h>

static const char *const fr[S_COUNT] = {
    [S_HOME] = "Accueil",
    [S_INITIATIVES] = "Initiatives",
    [S_AGENDA] = "Agenda",
    [S_ROOMS] = "Salles",
    [S_NEWS] = "Annonces",
    [S_DIRECTORY] = "Annuaire",
    [S_IDEAS] = "Idées",
    [S_ONLINE] = "En ligne",
    [S_OFFLINE] = "Hors ligne",
    [S_OFFLINE_SINCE] = "Hors ligne depuis %s",
    [S_LANG_OTHER] = "English",
    [S_LARGER_TEXT] = "Texte plus grand",
    [S_CONTRAST] = "Contraste élevé",
    [S_WELCOME] = "Bienvenue à Sceaux",
    [S_TODAY_EVENTS] = "Aujourd’hui à Sceaux",
    [S_NO_EVENTS_TODAY] = "Pas d’événement aujourd’hui. L’agenda montre ceux des jours à venir.",
    [S_FEATURED] = "Initiative à la une",
    [S_UPCOMING] = "À venir",
    [S_TOUCH] = "Touchez l’écran pour découvrir les initiatives de Sceaux",
    [S_SEE_ALL] = "Tout voir",
    [S_ALL] = "Tous",
    [S_SEARCH] = "Rechercher",
    [S_SEARCH_HINT] = "Un mot" I18N_NBSP ": jardin, école, vélo…",
    [S_RESULTS_1] = "%d" I18N_NBSP "initiative",
    [S_RESULTS_N] = "%d" I18N_NBSP "initiatives",
    [S_NO_RESULTS] = "Aucune initiative ne correspond. Essayez un autre mot ou un autre domaine.",
    [S_EMPTY_INITIATIVES] = "Les initiatives de Sceaux apparaîtront ici dès leur publication.",
    [S_CARRIER] = "Porté par",
    [S_SUPPORTS_1] = "%d" I18N_NBSP "soutien",
    [S_SUPPORTS_N] = "%d" I18N_NBSP "soutiens",
    [S_SUPPORT] = "Je soutiens",
    [S_SUPPORTED] = "Merci" I18N_NNBSP "! Votre soutien est enregistré.",
    [S_QR_CAPTION] = "Scannez pour garder le contact",
    [S_BACK] = "Retour",
    [S_CONTACT] = "Contact",
    [S_STAGE] = "Étape",
    [S_COLON] = I18N_NBSP ": ",
    [S_DOMAIN] = "Domaine",
    [S_SPACE] = "Espace",
    [S_SHIFT] = "Majuscule",
    [S_ERASE] = "Effacer",
    [S_DONE] = "Valider",
    [S_CLEAR] = "Tout effacer",
    [S_ROOMS_TITLE] = "Réserver une salle",
    [S_NO_ROOMS] = "Aucune salle réservable sur ce site pour le moment.",
    [S_NO_SITE] = "Ce kiosque n’est rattaché à aucun site" I18N_NBSP
                  ": les salles ne peuvent pas être affichées.",
    [S_FREE] = "Libre",
    [S_TAKEN] = "Occupée",
    [S_PENDING] = "En attente",
    [S_CONFIRMED] = "Confirmée",
    [S_REFUSED] = "Refusée",
    [S_CANCEL_PENDING] = "Annulation en attente",
    [S_BOOK_TITLE] = "Réserver" I18N_NBSP ": %s",
    [S_BOOK_WHEN] = "%s à partir de %s",
    [S_LENGTH] = "Durée",
    [S_YOUR_NAME] = "Votre nom",
    [S_CONFIRM] = "Confirmer",
    [S_CANCEL] = "Annuler",
    [S_BOOKED_TITLE] = "Réservation enregistrée",
    [S_CANCEL_CODE] = "Code d’annulation",
    [S_KEEP_CODE] = "Notez ce code" I18N_NBSP ": il vous permettra d’annuler la réservation.",
    [S_CANCEL_BOOKING] = "Annuler la réservation",
    [S_REASON] = "Motif",
    [S_CLOSED] = "Fermé",
    [S_TODAY] = "Aujourd’hui",
    [S_TOMORROW] = "Demain",
    [S_NAME_REQUIRED] = "Indiquez un nom pour réserver.",
    [S_CODE_REQUIRED] = "Tapez le code à 6" I18N_NBSP "chiffres.",
    [S_CAPACITY_1] = "%d" I18N_NBSP "place",
    [S_CAPACITY_N] = "%d" I18N_NBSP "places",
    [S_WEEK] = "Cette semaine",
    [S_PLACE] = "Lieu",
    [S_ORGANIZER] = "Organisé par",
    [S_WHEN] = "Quand",
    [S_NEWS_TITLE] = "Annonces",
    [S_NO_NEWS] = "Aucune annonce en ce moment. Bonne journée" I18N_NNBSP "!",
    [S_URGENT] = "Urgent",
    [S_IMPORTANT] = "Important",
    [S_INFO] = "Information",
    [S_UNTIL] = "Jusqu’au %s",
    [S_DIRECTORY_TITLE] = "Se faire accompagner",
    [S_DIRECTORY_HINT] =
        "Les acteurs qui informent, forment, conseillent et financent les projets.",
    [S_NO_ORGS] = "L’annuaire des acteurs sera bientôt disponible.",
    [S_IDEAS_TITLE] = "Parlons ensemble",
    [S_IDEAS_HINT] =
        "Proposez une idée pour Sceaux" I18N_NBSP ": elle sera relue avant publication.",
    [S_SUBMIT_IDEA] = "Proposer une idée",
    [S_IDEA_TEXT] = "Votre idée",
    [S_IDEA_AUTHOR] = "Votre prénom (facultatif)",
    [S_SEND] = "Envoyer",
    [S_IDEA_SENT] = "Merci" I18N_NNBSP "! Votre idée sera relue avant publication.",
    [S_NO_IDEAS] =
        "Aucune idée publiée pour l’instant. Soyez la première personne à proposer" I18N_NNBSP "!",
    [S_IDEA_REQUIRED] = "Écrivez votre idée avant d’envoyer.",
    [S_STILL_THERE] = "Vous êtes toujours là" I18N_NNBSP "?",
    [S_RESET_IN] = "Retour à l’accueil dans %d" I18N_NBSP "s",
    [S_MORE_TIME] = "Plus de temps",
    [S_OFFLINE_NOTICE] =
        "Hors ligne" I18N_NBSP ": les informations peuvent dater un peu. Vos demandes partiront "
        "dès le retour du réseau.",
    [S_STAFF_PIN] = "Code du personnel",
    [S_EXIT] = "Quitter le kiosque",
    [S_WRONG_PIN] = "Code incorrect.",
    [S_CLOSE] = "Fermer",
    [S_NOT_FOUND] = "Cet élément n’est plus disponible.",
    [S_WRITE_FAILED] = "Enregistrement impossible. Réessayez dans un instant.",
    [S_SLOT_GONE] = "Ce créneau vient d’être pris. Choisissez-en un autre.",
    [S_ERR_CONFLICT] = "le créneau a été réservé entre-temps depuis une autre borne.",
    [S_ERR_UNAVAILABLE] = "cette salle n’est plus réservable.",
    [S_ERR_INVALID] = "horaires refusés (heures d’ouverture ou durée).",
    [S_ERR_FORBIDDEN] = "demande non autorisée depuis cette borne.",
    [S_STAFF_OPEN] = "Ouvrir",
    [S_STAFF_TITLE] = "Espace technique",
    [S_STAFF_CONNECTION] = "Connexion au hub",
    [S_STAFF_LAST_OK] = "Dernière synchronisation",
    [S_STAFF_PENDING] = "Modifications à envoyer",
    [S_STAFF_REFUSED] = "Refusées par le hub",
    [S_STAFF_LAST_ERROR] = "Dernière erreur",
    [S_STAFF_NEVER] = "Jamais",
    [S_STAFF_NONE] = "Aucune",
    [S_FAULT_DISK_FULL] = "Disque plein. Libérez de la place sur le support de la réplique.",
    [S_FAULT_READ_ONLY] = "Réplique en lecture seule. Vérifiez le support et ses droits.",
    [S_ERR_BAD_CODE] = "Ce code ne correspond pas à la réservation, qui est maintenue.",
    [S_ANSWER_CHECKING] = "Vérification en cours…",
    [S_BOOK_CONFIRMED] = "Réservation confirmée.",
    [S_BOOK_REFUSED] = "Réservation refusée.",
    [S_BOOK_LATER] =
        "Votre réservation sera confirmée dès que le serveur répondra" I18N_NNBSP "; d’ici"
        " là, cette borne vous garde le créneau.",
    [S_CANCEL_DONE] = "Réservation annulée.",
    [S_CANCEL_REFUSED] = "Annulation refusée.",
    [S_CANCEL_LATER] =
        "Le code sera vérifié dès que le serveur répondra" I18N_NNBSP "; d’ici là, le"
        " créneau reste réservé.",
    [S_KIOSK_OFFLINE] = "La borne est hors ligne.",
    [S_NO_ANSWER_YET] = "Pas encore de réponse du serveur.",
    [S_TRY_AGAIN] = "Réessayer",
    [S_ALERTS_TITLE] = "Alertes urgentes",
    [S_ALERTS_MORE_1] = "+%d" I18N_NBSP "alerte",
    [S_ALERTS_MORE_N] = "+%d" I18N_NBSP "alertes",
    [S_READ_MORE] = "Lire la suite",
    [S_SCROLL_MORE] = "Faites glisser pour lire la suite",
    [S_QR_EVENT] = "Ajouter à mon agenda",
    [S_QR_CARD] = "Enregistrer le contact",
    [S_WEEKEND] = "Ce week-end",
    [S_CATEGORY] = "Catégorie",
    [S_ALL_FEM] = "Toutes",
    [S_PREV_MONTH] = "Mois précédent",
    [S_NEXT_MONTH] = "Mois suivant",
    [S_NEXT_EVENT] =
        "Rien de prévu à ce moment-là. Le prochain événement a lieu le %s" I18N_NBSP ":",
    [S_GO_TO_DAY] = "Voir ce jour",
    [S_NO_EVENTS_AHEAD] = "Aucun événement à venir pour le moment. Revenez bientôt" I18N_NNBSP "!",
    [S_NO_EVENTS_FILTERS] = "Aucun événement à venir dans cette catégorie et ce domaine. Essayez"
                            " d’autres filtres.",
    [S_REPEATS] = "Régularité",
    [S_EVERY_WEEK] = "Chaque semaine",
    [S_EVERY_MONTH] = "Chaque mois",
    [S_EVERY_N_WEEKS] = "Toutes les %d" I18N_NBSP "semaines",
    [S_EVERY_N_MONTHS] = "Tous les %d" I18N_NBSP "mois",
    [S_ALL_STAGES] = "Toutes les étapes",
    [S_NO_RESULTS_FOR] = "Aucune initiative pour ces filtres (%s). Essayez un autre mot, un autre"
                         " domaine ou une autre étape.",
    [S_KIND] = "Type",
    [S_ORGS_1] = "%d" I18N_NBSP "acteur",
    [S_ORGS_N] = "%d" I18N_NBSP "acteurs",
    [S_NO_ORGS_FILTERS] = "Aucun acteur de ce type dans ce domaine. Essayez d’autres filtres.",
    [S_FIGURES] = "Chiffres",
    [S_FIGURES_TITLE] = "L’ESS en chiffres",
    [S_NO_FIGURES] = "Les chiffres clés de l’ESS à Sceaux apparaîtront ici.",
    [S_FIG_BY_DOMAIN] = "Répartition par domaine",
    [S_FIG_SOURCE] = "Source" I18N_NBSP ": %s",
    [S_FIG_SOURCES] = "Sources" I18N_NBSP ": %s",
    [S_FIG_JOIN] = I18N_NNBSP "; ",
    [S_FIG_ABOUT] = "environ %s",
    [S_FIG_NEARLY] = "près de %s",
    [S_FIG_OVER] = "plus de %s",
    [S_FIG_PERCENT] = "%s" I18N_NBSP "%",
    [S_FIG_EURO] = "%s" I18N_NBSP "€",
    [S_THEME] = "Thème",
    [S_NO_THEME] = "Sans thème",
    [S_IDEAS_1] = "%d" I18N_NBSP "idée",
    [S_IDEAS_N] = "%d" I18N_NBSP "idées",
    [S_NO_IDEAS_FOR] = "Aucune idée publiée sur ce thème (%s) pour l’instant. Essayez un autre"
                       " thème.",
    [S_CITY_ANSWER] = "Réponse de la ville",
    [S_AWAITING_ANSWER] = "Publiée, en attente d’une réponse de la ville.",
    [S_CHOOSE_THEME] = "Choisissez le thème de votre idée" I18N_NBSP ":",
    [S_AWAITING_TAG] = "Réponse à venir",
    [S_SEE_IDEAS_1] = "Voir l’idée (%d)",
    [S_SEE_IDEAS_N] = "Voir les idées (%d)",
    [S_PROPOSED_BY] = "Proposée par %s",
    [S_PATH_STEP] = "Question %d" I18N_NBSP "sur 3",
    [S_PATH_Q_DOMAIN] = "Dans quel domaine agit votre projet" I18N_NBSP "?",
    [S_PATH_Q_STAGE] = "Où en est votre projet" I18N_NBSP "?",
    [S_PATH_Q_NEED] = "De quoi avez-vous besoin" I18N_NBSP "?",
    [S_PATH_ANY_DOMAIN] = "Un autre domaine",
    [S_PATH_ANY_STAGE] = "Je ne sais pas encore",
    [S_PATH_ANY_STAGE_ABOUT] = "Les acteurs qui accompagnent à toutes les étapes vous aideront"
                               " à y voir clair.",
    [S_PATH_ANY_NEED] = "Un peu de tout",
    [S_PATH_RESULTS] = "Ils peuvent vous accompagner",
    [S_PATH_NONE] = "Aucun acteur ne répond à tout cela. Touchez Retour pour changer une réponse.",
    [S_PATH_START] = "Trouver qui m’aide en 3" I18N_NBSP "questions",
    [S_PATH_RESTART] = "Recommencer",
    [S_PATH_NEXT] = "Prochain rendez-vous" I18N_NBSP ": %s",
    [S_ORG_OFFERS] = "Ce qu’il propose",
    [S_ORG_STAGES] = "Étapes accompagnées",
    [S_ORG_INITIATIVES] = "Initiatives liées",
    [S_ORG_EVENTS] = "Prochains rendez-vous",
    [S_ACCOMPANIED_BY] = "Qui accompagne à cette étape",
    [S_OFFER_HELP] = "Je veux m’engager",
    [S_OFFER_TITLE] = "Proposer mon aide",
    [S_OFFER_HINT] = "Laissez un prénom et un moyen de vous joindre" I18N_NBSP
                     ": la Ville de Sceaux transmet votre proposition à %s.",
    [S_OFFER_NAME] = "Votre prénom",
    [S_OFFER_CONTACT] = "E-mail ou téléphone",
    [S_OFFER_CONSENT] = "J’accepte que la Ville de Sceaux garde mon prénom et mon contact le temps "
                        "de les transmettre au porteur de cette initiative, pour qu’il me "
                        "recontacte, puis les efface. Cette borne n’en garde rien.",
    [S_OFFER_SENT] = "Merci" I18N_NNBSP "! La Ville de Sceaux transmettra votre proposition à %s.",
    [S_OFFER_NEED_NAME] = "Indiquez votre prénom.",
    [S_OFFER_NEED_CONTACT] = "Indiquez un e-mail (nom@exemple.fr) ou un numéro de téléphone.",
    [S_OFFER_NEED_CONSENT] =
        "Cochez la phrase d’accord pour envoyer" I18N_NNBSP ": sans elle, rien "
        "n’est envoyé.",
};

static const char *const en[S_COUNT] = {
    [S_HOME] = "Home",
    [S_INITIATIVES] = "Initiatives",
    [S_AGENDA] = "Agenda",
    [S_ROOMS] = "Rooms",
    [S_NEWS] = "News",
    [S_DIRECTORY] = "Directory",
    [S_IDEAS] = "Ideas",
    [S_ONLINE] = "Online",
    [S_OFFLINE] = "Offline",
    [S_OFFLINE_SINCE] = "Offline since %s",
    [S_LANG_OTHER] = "Français",
    [S_LARGER_TEXT] = "Larger text",
    [S_CONTRAST] = "High contrast",
    [S_WELCOME] = "Welcome to Sceaux",
    [S_TODAY_EVENTS] = "Today in Sceaux",
    [S_NO_EVENTS_TODAY] = "No event today. The agenda shows the coming days.",
    [S_FEATURED] = "Featured initiative",
    [S_UPCOMING] = "Coming up",
    [S_TOUCH] = "Touch the screen to discover the initiatives of Sceaux",
    [S_SEE_ALL] = "See all",
    [S_ALL] = "All",
    [S_SEARCH] = "Search",
    [S_SEARCH_HINT] = "One word: garden, school, bike…",
    [S_RESULTS_1] = "%d" I18N_NBSP "initiative",
    [S_RESULTS_N] = "%d" I18N_NBSP "initiatives",
    [S_NO_RESULTS] = "No initiative matches. Try another word or another domain.",
    [S_EMPTY_INITIATIVES] = "The initiatives of Sceaux will appear here once published.",
    [S_CARRIER] = "Carried by",
    [S_SUPPORTS_1] = "%d" I18N_NBSP "supporter",
    [S_SUPPORTS_N] = "%d" I18N_NBSP "supporters",
    [S_SUPPORT] = "I support this",
    [S_SUPPORTED] = "Thank you! Your support is recorded.",
    [S_QR_CAPTION] = "Scan to keep the contact",
    [S_BACK] = "Back",
    [S_CONTACT] = "Contact",
    [S_STAGE] = "Stage",
    [S_COLON] = ": ",
    [S_DOMAIN] = "Domain",
    [S_SPACE] = "Space",
    [S_SHIFT] = "Shift",
    [S_ERASE] = "Delete",
    [S_DONE] = "Done",
    [S_CLEAR] = "Clear all",
    [S_ROOMS_TITLE] = "Book a room",
    [S_NO_ROOMS] = "No bookable room at this site for now.",
    [S_NO_SITE] = "This kiosk belongs to no site, so rooms cannot be shown.",
    [S_FREE] = "Free",
    [S_TAKEN] = "Taken",
    [S_PENDING] = "Pending",
    [S_CONFIRMED] = "Confirmed",
    [S_REFUSED] = "Refused",
    [S_CANCEL_PENDING] = "Cancellation pending",
    [S_BOOK_TITLE] = "Book: %s",
    [S_BOOK_WHEN] = "%s from %s",
    [S_LENGTH] = "Length",
    [S_YOUR_NAME] = "Your name",
    [S_CONFIRM] = "Confirm",
    [S_CANCEL] = "Cancel",
    [S_BOOKED_TITLE] = "Booking recorded",
    [S_CANCEL_CODE] = "Cancellation code",
    [S_KEEP_CODE] = "Keep this code: you will need it to cancel the booking.",
    [S_CANCEL_BOOKING] = "Cancel the booking",
    [S_REASON] = "Reason",
    [S_CLOSED] = "Closed",
    [S_TODAY] = "Today",
    [S_TOMORROW] = "Tomorrow",
    [S_NAME_REQUIRED] = "Enter a name to book.",
    [S_CODE_REQUIRED] = "Type the 6-digit code.",
    [S_CAPACITY_1] = "%d" I18N_NBSP "seat",
    [S_CAPACITY_N] = "%d" I18N_NBSP "seats",
    [S_WEEK] = "This week",
    [S_PLACE] = "Place",
    [S_ORGANIZER] = "Organised by",
    [S_WHEN] = "When",
    [S_NEWS_TITLE] = "News",
    [S_NO_NEWS] = "No announcement right now. Have a nice day!",
    [S_URGENT] = "Urgent",
    [S_IMPORTANT] = "Important",
    [S_INFO] = "Information",
    [S_UNTIL] = "Until %s",
    [S_DIRECTORY_TITLE] = "Get support",
    [S_DIRECTORY_HINT] = "The actors who inform, train, advise and fund projects.",
    [S_NO_ORGS] = "The directory of actors will be available soon.",
    [S_IDEAS_TITLE] = "Let’s talk",
    [S_IDEAS_HINT] = "Suggest an idea for Sceaux: it will be reviewed before publication.",
    [S_SUBMIT_IDEA] = "Suggest an idea",
    [S_IDEA_TEXT] = "Your idea",
    [S_IDEA_AUTHOR] = "Your first name (optional)",
    [S_SEND] = "Send",
    [S_IDEA_SENT] = "Thank you! Your idea will be reviewed before publication.",
    [S_NO_IDEAS] = "No idea published yet. Be the first to suggest one!",
    [S_IDEA_REQUIRED] = "Write your idea before sending.",
    [S_STILL_THERE] = "Are you still there?",
    [S_RESET_IN] = "Back to home in %d" I18N_NBSP "s",
    [S_MORE_TIME] = "More time",
    [S_OFFLINE_NOTICE] = "Offline: information may be a little old. Your requests will be sent "
                         "when the network is back.",
    [S_STAFF_PIN] = "Staff code",
    [S_EXIT] = "Exit the kiosk",
    [S_WRONG_PIN] = "Wrong code.",
    [S_CLOSE] = "Close",
    [S_NOT_FOUND] = "This item is no longer available.",
    [S_WRITE_FAILED] = "Could not record. Please try again in a moment.",
    [S_SLOT_GONE] = "This slot was just taken. Please choose another one.",
    [S_ERR_CONFLICT] = "the slot was booked meanwhile from another kiosk.",
    [S_ERR_UNAVAILABLE] = "this room can no longer be booked.",
    [S_ERR_INVALID] = "times refused (opening hours or length).",
    [S_ERR_FORBIDDEN] = "not allowed from this kiosk.",
    [S_STAFF_OPEN] = "Open",
    [S_STAFF_TITLE] = "Staff panel",
    [S_STAFF_CONNECTION] = "Connection to the hub",
    [S_STAFF_LAST_OK] = "Last sync",
    [S_STAFF_PENDING] = "Changes to send",
    [S_STAFF_REFUSED] = "Refused by the hub",
    [S_STAFF_LAST_ERROR] = "Last error",
    [S_STAFF_NEVER] = "Never",
    [S_STAFF_NONE] = "None",
    [S_FAULT_DISK_FULL] = "Disk full. Free space on the replica’s storage.",
    [S_FAULT_READ_ONLY] = "The replica is read-only. Check its storage and permissions.",
    [S_ERR_BAD_CODE] = "This code does not match the booking, which stands.",
    [S_ANSWER_CHECKING] = "Checking…",
    [S_BOOK_CONFIRMED] = "Booking confirmed.",
    [S_BOOK_REFUSED] = "Booking refused.",
    [S_BOOK_LATER] = "Your booking will be confirmed as soon as the server answers; until then,"
                     " this kiosk keeps the slot for you.",
    [S_CANCEL_DONE] = "Booking cancelled.",
    [S_CANCEL_REFUSED] = "Cancellation refused.",
    [S_CANCEL_LATER] = "The code will be checked as soon as the server answers; until then, the"
                       " slot stays booked.",
    [S_KIOSK_OFFLINE] = "The kiosk is offline.",
    [S_NO_ANSWER_YET] = "No answer from the server yet.",
    [S_TRY_AGAIN] = "Try again",
    [S_ALERTS_TITLE] = "Urgent alerts",
    [S_ALERTS_MORE_1] = "+%d" I18N_NBSP "alert",
    [S_ALERTS_MORE_N] = "+%d" I18N_NBSP "alerts",
    [S_READ_MORE] = "Read more",
    [S_SCROLL_MORE] = "Swipe up to read on",
    [S_QR_EVENT] = "Add to my calendar",
    [S_QR_CARD] = "Save the contact",
    [S_WEEKEND] = "This weekend",
    [S_CATEGORY] = "Category",
    [S_ALL_FEM] = "All",
    [S_PREV_MONTH] = "Previous month",
    [S_NEXT_MONTH] = "Next month",
    [S_NEXT_EVENT] = "Nothing planned then. The next event is on %s:",
    [S_GO_TO_DAY] = "Show that day",
    [S_NO_EVENTS_AHEAD] = "No event coming up for now. Come back soon!",
    [S_NO_EVENTS_FILTERS] = "No event coming up in this category and domain. Try other filters.",
    [S_REPEATS] = "Repeats",
    [S_EVERY_WEEK] = "Every week",
    [S_EVERY_MONTH] = "Every month",
    [S_EVERY_N_WEEKS] = "Every %d" I18N_NBSP "weeks",
    [S_EVERY_N_MONTHS] = "Every %d" I18N_NBSP "months",
    [S_ALL_STAGES] = "All stages",
    [S_NO_RESULTS_FOR] = "No initiative for these filters (%s). Try another word, domain or stage.",
    [S_KIND] = "Kind",
    [S_ORGS_1] = "%d" I18N_NBSP "actor",
    [S_ORGS_N] = "%d" I18N_NBSP "actors",
    [S_NO_ORGS_FILTERS] = "No actor of this kind in this domain. Try other filters.",
    [S_FIGURES] = "Figures",
    [S_FIGURES_TITLE] = "The social economy in figures",
    [S_NO_FIGURES] = "Key figures of the social economy in Sceaux will appear here.",
    [S_FIG_BY_DOMAIN] = "Breakdown by field",
    [S_FIG_SOURCE] = "Source: %s",
    [S_FIG_SOURCES] = "Sources: %s",
    [S_FIG_JOIN] = "; ",
    [S_FIG_ABOUT] = "about %s",
    [S_FIG_NEARLY] = "nearly %s",
    [S_FIG_OVER] = "over %s",
    [S_FIG_PERCENT] = "%s%",
    [S_FIG_EURO] = "€%s",
    [S_THEME] = "Theme",
    [S_NO_THEME] = "No theme",
    [S_IDEAS_1] = "%d" I18N_NBSP "idea",
    [S_IDEAS_N] = "%d" I18N_NBSP "ideas",
    [S_NO_IDEAS_FOR] = "No idea published on this theme (%s) yet. Try another theme.",
    [S_CITY_ANSWER] = "The city’s answer",
    [S_AWAITING_ANSWER] = "Published, awaiting the city’s answer.",
    [S_CHOOSE_THEME] = "Choose your idea’s theme:",
    [S_AWAITING_TAG] = "Answer to come",
    [S_SEE_IDEAS_1] = "See the idea (%d)",
    [S_SEE_IDEAS_N] = "See the ideas (%d)",
    [S_PROPOSED_BY] = "Suggested by %s",
    [S_PATH_STEP] = "Question %d" I18N_NBSP "of 3",
    [S_PATH_Q_DOMAIN] = "What field is your project in?",
    [S_PATH_Q_STAGE] = "Where is your project at?",
    [S_PATH_Q_NEED] = "What do you need?",
    [S_PATH_ANY_DOMAIN] = "Another field",
    [S_PATH_ANY_STAGE] = "I don’t know yet",
    [S_PATH_ANY_STAGE_ABOUT] = "The actors who support every stage will help you see clearly.",
    [S_PATH_ANY_NEED] = "A bit of everything",
    [S_PATH_RESULTS] = "They can support you",
    [S_PATH_NONE] = "No actor answers all of this. Tap Back to change an answer.",
    [S_PATH_START] = "Find who can help in 3" I18N_NBSP "questions",
    [S_PATH_RESTART] = "Start again",
    [S_PATH_NEXT] = "Next: %s",
    [S_ORG_OFFERS] = "What it offers",
    [S_ORG_STAGES] = "Stages it supports",
    [S_ORG_INITIATIVES] = "Linked initiatives",
    [S_ORG_EVENTS] = "Coming events",
    [S_ACCOMPANIED_BY] = "Who supports this stage",
    [S_OFFER_HELP] = "I want to help",
    [S_OFFER_TITLE] = "Offer my help",
    [S_OFFER_HINT] = "Leave a first name and a way to reach you: the City of Sceaux passes your "
                     "offer on to %s.",
    [S_OFFER_NAME] = "Your first name",
    [S_OFFER_CONTACT] = "Email or phone",
    [S_OFFER_CONSENT] = "I agree that the City of Sceaux keeps my first name and contact long "
                        "enough to pass them on to the carrier of this initiative, who may "
                        "contact me, and then erases them. This kiosk keeps none of it.",
    [S_OFFER_SENT] = "Thank you! The City of Sceaux will pass your offer on to %s.",
    [S_OFFER_NEED_NAME] = "Enter your first name.",
    [S_OFFER_NEED_CONTACT] = "Enter an email (name@example.com) or a phone number.",
    [S_OFFER_NEED_CONSENT] = "Tick the consent sentence to send: without it nothing is sent.",
};

static const char *const *const tables[LANG_COUNT] = {fr, en};

const char *i18n_str(enum lang l, enum str s)
{
    if ((unsigned)l >= LANG_COUNT || (unsigned)s >= S_COUNT)
        return "";
    const char *t = tables[l][s];
    return t ? t : fr[s] ? fr[s] : "";
}

struct pair {
    const char *key;
    const char *name[LANG_COUNT];
};

static const char *lookup(const struct pair *p, enum lang l, const char *key)
{
    if (!key)
        return "";
    for (; p->key; p++)
        if (strcmp(p->key, key) == 0)
            return p->name[(unsigned)l < LANG_COUNT ? l : 0];
    return key;
}

/* lookup(), "" when key is unknown. */
static const char *lookup_or_empty(const struct pair *p, enum lang l, const char *key)
{
    const char *s = lookup(p, l, key);
    return s == key ? "" : s;
}

static const struct pair domains[] = {
    {"entrepreneuriat_social", {"Entrepreneuriat social", "Social entrepreneurship"}},
    {"participation_citoyenne", {"Participation citoyenne", "Citizen participation"}},
    {"agriculture", {"Agriculture", "Agriculture"}},
    {"jeunesse", {"Jeunesse", "Youth"}},
    {"sport", {"Sport", "Sport"}},
    {"education_formation", {"Éducation, formation", "Education, training"}},
    {"sante", {"Santé", "Health"}},
    {"habitat", {"Habitat", "Housing"}},
    {"mobilite", {"Mobilité", "Mobility"}},
    {"action_sociale", {"Action sociale", "Social action"}},
    {"culture", {"Culture", "Culture"}},
    {"environnement", {"Environnement", "Environment"}},
    {NULL, {NULL, NULL}},
};

static const struct pair stages[] = {
    {"emergence", {"Émergence", "Emerging"}},
    {"developpement", {"Développement", "Developing"}},
    {"mise_en_oeuvre", {"Mise en œuvre", "Under way"}},
    {NULL, {NULL, NULL}},
};

static const struct pair stage_about[] = {
    {"emergence",
     {"L’idée prend forme" I18N_NBSP ": on vérifie le besoin, on rassemble une équipe et on"
      " cherche ses premiers soutiens.",
      "The idea takes shape: checking the need, gathering a team and finding first support."}},
    {"developpement",
     {"Le projet se structure" I18N_NBSP ": modèle économique, statut, partenaires et"
      " financements.",
      "The project gets organised: business model, legal status, partners and funding."}},
    {"mise_en_oeuvre",
     {"Le projet est lancé" I18N_NBSP ": il agit sur le terrain et cherche à durer et à grandir.",
      "The project is up and running: it acts on the ground and seeks to last and grow."}},
    {NULL, {NULL, NULL}},
};

static const struct pair outcomes[] = {
    {"a_l_etude", {"À l’étude", "Under study"}},
    {"retenue", {"Retenue", "Adopted"}},
    {"realisee", {"Réalisée", "Done"}},
    {"non_retenue", {"Non retenue", "Not adopted"}},
    {NULL, {NULL, NULL}},
};

static const struct pair outcome_about[] = {
    {"a_l_etude",
     {"Les services de la ville étudient cette idée" I18N_NBSP ": coût, lieu, partenaires.",
      "The city’s services are studying this idea: cost, place, partners."}},
    {"retenue",
     {"La ville a décidé de la mettre en œuvre.", "The city has decided to carry it out."}},
    {"realisee",
     {"C’est fait" I18N_NNBSP "! L’idée est devenue réalité.", "Done! The idea is now real."}},
    {"non_retenue",
     {"La ville ne la met pas en œuvre" I18N_NBSP ": sa réponse dit pourquoi.",
      "The city is not carrying it out: its answer says why."}},
    {NULL, {NULL, NULL}},
};

static const struct pair stage_why[] = {
    {"emergence", {"accompagne l’émergence", "supports emerging projects"}},
    {"developpement", {"accompagne le développement", "supports growing projects"}},
    {"mise_en_oeuvre", {"accompagne la mise en œuvre", "supports projects under way"}},
    {NULL, {NULL, NULL}},
};

static const struct pair offers[] = {
    {"financement", {"Un financement", "Funding"}},
    {"local", {"Un local", "Premises"}},
    {"formation", {"Une formation", "Training"}},
    {"reseau", {"Un réseau", "A network"}},
    {"conseil_juridique", {"Un conseil juridique", "Legal advice"}},
    {"conseil", {"Conseil et mentorat", "Advice and mentoring"}},
    {"information", {"De l’information", "Information"}},
    {NULL, {NULL, NULL}},
};

static const struct pair offer_why[] = {
    {"financement", {"finance des projets", "funds projects"}},
    {"local", {"propose un local", "offers premises"}},
    {"formation", {"forme les porteurs", "trains carriers"}},
    {"reseau", {"met en réseau", "connects people"}},
    {"conseil_juridique", {"conseille sur le droit", "gives legal advice"}},
    {"conseil", {"conseille et suit les projets", "advises and mentors"}},
    {"information", {"informe les porteurs", "informs carriers"}},
    {NULL, {NULL, NULL}},
};

static const struct pair categories[] = {
    {"forum", {"Forum", "Forum"}},
    {"conference", {"Conférence", "Conference"}},
    {"atelier", {"Atelier", "Workshop"}},
    {"pitch", {"Pitch", "Pitch"}},
    {"table_ronde", {"Table ronde", "Round table"}},
    {"conseil", {"Conseil", "Council"}},
    {"autre", {"Autre", "Other"}},
    {NULL, {NULL, NULL}},
};

static const struct pair kinds[] = {
    {"association", {"Association", "Association"}},
    {"cooperative", {"Coopérative", "Cooperative"}},
    {"mutuelle", {"Mutuelle", "Mutual"}},
    {"fondation", {"Fondation", "Foundation"}},
    {"entreprise_solidaire", {"Entreprise solidaire", "Social enterprise"}},
    {"collectivite", {"Collectivité", "Local authority"}},
    {"accompagnement", {"Accompagnement", "Support"}},
    {NULL, {NULL, NULL}},
};

const char *i18n_domain(enum lang l, const char *domain)
{
    return lookup(domains, l, domain);
}

const char *i18n_stage(enum lang l, const char *stage)
{
    return lookup(stages, l, stage);
}

const char *i18n_stage_about(enum lang l, const char *stage)
{
    return lookup_or_empty(stage_about, l, stage);
}

const char *i18n_outcome(enum lang l, const char *outcome)
{
    return lookup(outcomes, l, outcome);
}

const char *i18n_outcome_about(enum lang l, const char *outcome)
{
    return lookup_or_empty(outcome_about, l, outcome);
}

const char *i18n_stage_why(enum lang l, const char *stage)
{
    return lookup_or_empty(stage_why, l, stage);
}

const char *i18n_offer_why(enum lang l, const char *offer)
{
    return lookup_or_empty(offer_why, l, offer);
}

const char *i18n_offer(enum lang l, const char *offer)
{
    return lookup(offers, l, offer);
}

const char *i18n_category(enum lang l, const char *category)
{
    return lookup(categories, l, category);
}

const char *i18n_kind(enum lang l, const char *kind)
{
    return lookup(kinds, l, kind);
}

int i18n_parse(const char *code)
{
    if (strcmp(code, "fr") == 0)
        return LANG_FR;
    if (strcmp(code, "en") == 0)
        return LANG_EN;
    return -1;
}

const char *i18n_code(enum lang l)
{
    return l == LANG_EN ? "en" : "fr";
}
