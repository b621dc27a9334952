"""Who flags listings and in which words: members of the public, trusted flaggers, automated checks,
authorities and the platform's own staff. Organisation names are invented."""

from __future__ import annotations

from moderator_app.domain.enums import FlagSource, PolicyCategory

C = PolicyCategory
S = FlagSource

PEOPLE = (
    ("Anna Schneider", "de"),
    ("Lukas Weber", "de"),
    ("Camille Dubois", "fr"),
    ("Julien Martin", "fr"),
    ("Agnieszka Wiśniewska", "pl"),
    ("Piotr Zieliński", "pl"),
    ("Giulia Romano", "it"),
    ("Marco Esposito", "it"),
    ("Lucía García", "es"),
    ("Javier Fernández", "es"),
    ("Sanne de Vries", "en"),
    ("Sven Lindqvist", "en"),
    ("Eva Nováková", "en"),
    ("Jane Roe", "en"),
    ("Liam O'Brien", "en"),
    ("Ioana Popescu", "en"),
)

TRUSTED: dict[C, tuple[str, ...]] = {
    C.COUNTERFEIT: (
        "BrandShield Europe (trusted flagger)",
        "Anti-Counterfeiting Alliance EU (trusted flagger)",
    ),
    C.UNSAFE_TOY: (
        "Consumer Safety Network e.V. (trusted flagger)",
        "Fondation Enfance & Sécurité (trusted flagger)",
    ),
    C.UNSAFE_ELECTRICAL: (
        "Consumer Safety Network e.V. (trusted flagger)",
        "ElectroSafe Testing Lab (trusted flagger)",
    ),
    C.ILLEGAL_MEDICINE: (
        "Fondation Santé Numérique (trusted flagger)",
        "Pharmacists Against Fake Medicines (trusted flagger)",
    ),
    C.UNAPPROVED_SUPPLEMENT: (
        "Stowarzyszenie Bezpieczna Żywność (trusted flagger)",
        "Fondation Santé Numérique (trusted flagger)",
    ),
    C.HIDDEN_LINK: ("Associazione Consumatori Sicuri (trusted flagger)",),
    C.ADULT_CONTENT: ("Internet Hotline Europe (trusted flagger)",),
    C.PROHIBITED_ITEM: ("Associazione Consumatori Sicuri (trusted flagger)",),
    C.MISLEADING_INFO: ("Verbraucherschutzverein Nord e.V. (trusted flagger)",),
}

AUTHORITIES: dict[C, tuple[str, ...]] = {
    C.COUNTERFEIT: ("Customs anti-fraud office (IT)", "Customs investigation service (NL)"),
    C.UNSAFE_TOY: ("Market surveillance authority (DE)", "Consumer protection inspectorate (PL)"),
    C.UNSAFE_ELECTRICAL: ("Market surveillance authority (DE)", "Electrical safety agency (FR)"),
    C.ILLEGAL_MEDICINE: ("National medicines agency (FR)", "Chief pharmaceutical inspectorate (PL)"),
    C.UNAPPROVED_SUPPLEMENT: ("Food safety authority (ES)", "Federal office for consumer protection (DE)"),
    C.PROHIBITED_ITEM: ("Police weapons unit (NL)",),
    C.HIDDEN_LINK: ("Consumer protection cooperation network (EU)",),
}

AUTOMATED = {
    C.COUNTERFEIT: "auto: brand-price-anomaly v2",
    C.UNSAFE_TOY: "auto: safety-gate-matcher",
    C.UNSAFE_ELECTRICAL: "auto: image-classifier v3.2",
    C.ILLEGAL_MEDICINE: "auto: text-rules medicines",
    C.UNAPPROVED_SUPPLEMENT: "auto: ocr-health-claims",
    C.HIDDEN_LINK: "auto: ocr-offsite-contact",
    C.ADULT_CONTENT: "auto: nudity-classifier v2",
    C.PROHIBITED_ITEM: "auto: text-rules prohibited",
    C.MISLEADING_INFO: "auto: price-reference-check",
    C.TRADER_TRACEABILITY: "auto: art30-completeness",
    C.OTHER: "auto: text-rules misc",
}

STAFF = ("staff: proactive sweep", "staff: j.schmidt", "staff: m.dupont", "staff: health claims review")

USER_WORDS: dict[C, dict[str, tuple[str, ...]]] = {
    C.COUNTERFEIT: {
        "en": (
            "The logo is wrong and the price is far too low for a real {brand}.",
            "Bought one, arrived with misspelled label. Fake.",
        ),
        "de": ("Eindeutig eine Fälschung, echte {brand} kosten das Dreifache.",),
        "fr": ("Contrefaçon évidente : étiquette mal imprimée, prix ridicule.",),
        "pl": ("Podróbka – metka wygląda inaczej niż w oryginale.",),
        "it": ("Falso evidente, il logo {brand} è storto.",),
    },
    C.UNSAFE_TOY: {
        "en": (
            "No CE mark and no age warning; small parts came off within a day.",
            "My 2-year-old nearly swallowed one of the pieces.",
        ),
        "de": ("Kleinteile lösen sich, keine Warnhinweise, kein Hersteller angegeben.",),
        "fr": ("Aucun avertissement « ne convient pas aux enfants de moins de 36 mois ».",),
        "pl": ("Zabawka śmierdzi chemią, brak oznakowania CE.",),
    },
    C.UNSAFE_ELECTRICAL: {
        "en": (
            "Charger got extremely hot and melted the socket.",
            "The CE mark looks fake, letters too close.",
        ),
        "de": ("Wird sehr heiß, CE-Zeichen sieht gefälscht aus, keine Herstelleradresse.",),
        "fr": ("Le chargeur a fondu, marquage CE douteux.",),
        "pl": ("Listwa iskrzy przy podłączeniu.",),
    },
    C.ILLEGAL_MEDICINE: {
        "en": (
            "Selling prescription medicine without a prescription.",
            "Claims to cure a disease – dangerous.",
        ),
        "de": ("Verschreibungspflichtiges Medikament ohne Rezept.",),
        "it": ("Farmaco da prescrizione venduto senza ricetta.",),
        "fr": ("Médicament sur ordonnance vendu librement.",),
    },
    C.UNAPPROVED_SUPPLEMENT: {
        "en": ("Promises 10 kg in two weeks – impossible and surely not allowed.",),
        "de": ("Unzulässige Heilversprechen, angeblich gegen Corona wirksam.",),
        "pl": ("Suplement z zakazaną substancją.",),
    },
    C.HIDDEN_LINK: {
        "en": (
            "The seller asked me to pay via WhatsApp outside the platform.",
            "Phone number in the photos.",
        ),
        "de": ("Verkäufer will per Telegram verhandeln und per Überweisung bezahlen.",),
        "pl": ("Sprzedawca podaje numer WhatsApp na zdjęciu.",),
        "fr": ("Le vendeur renvoie vers son site pour payer moins cher.",),
    },
    C.ADULT_CONTENT: {
        "en": ("Explicit images on a listing everyone can see.",),
        "de": ("Pornografische Bilder, auch für Kinder sichtbar.",),
    },
    C.PROHIBITED_ITEM: {
        "en": ("Items like this are banned for sale here.",),
        "de": ("Das ist in Deutschland verboten.",),
    },
    C.MISLEADING_INFO: {
        "en": ("Says 'Made in Germany' but the box says otherwise.", "The 'was' price never existed."),
        "de": ("Fake-Rabatt, der Artikel hat nie 399 € gekostet.",),
    },
    C.TRADER_TRACEABILITY: {"en": ("I cannot find any company address or registration for this seller.",)},
    C.OTHER: {
        "en": ("This should not be sold here.", "Tickets resold for four times the price."),
        "de": ("Lebende Tiere per Paket verschicken? Bitte prüfen.",),
    },
}

FORMAL: dict[tuple[S, C], str] = {
    (
        S.TRUSTED_FLAGGER,
        C.COUNTERFEIT,
    ): "On behalf of the holder of the {brand} trade mark: the goods shown are "
    "not genuine (packaging, labels and stitching differ from authentic goods). Test purchase ref. {ref}.",
    (S.TRUSTED_FLAGGER, C.UNSAFE_TOY): "Product matches Safety Gate alert {alert} (serious risk: choking / "
    "ingestion of magnets). Please remove.",
    (S.TRUSTED_FLAGGER, C.UNSAFE_ELECTRICAL): "Test purchase {ref} failed EN 62368-1: insufficient creepage "
    "distance, CE marking misleading.",
    (
        S.TRUSTED_FLAGGER,
        C.ILLEGAL_MEDICINE,
    ): "Prescription-only medicine offered to the public; falsified medicine suspected (no EU common logo).",
    (
        S.TRUSTED_FLAGGER,
        C.UNAPPROVED_SUPPLEMENT,
    ): "Contains an unauthorised substance ({substance}); see RASFF notification {ref}.",
    (
        S.AUTHORITY_ORDER,
        C.COUNTERFEIT,
    ): "Order {ref}: goods identical to this offer were seized at the border as "
    "counterfeit {brand}. Remove and keep the trader data.",
    (
        S.AUTHORITY_ORDER,
        C.UNSAFE_TOY,
    ): "Order under Art 9 DSA, ref {ref}: product subject to Safety Gate alert "
    "{alert}. Remove within 24 hours and inform us of the action taken.",
    (
        S.AUTHORITY_ORDER,
        C.UNSAFE_ELECTRICAL,
    ): "Order {ref}: electrical product without valid CE marking, risk of "
    "electric shock (Safety Gate {alert}). Remove within 24 hours.",
    (
        S.AUTHORITY_ORDER,
        C.ILLEGAL_MEDICINE,
    ): "Order {ref}: illegal offer of a medicinal product ({substance}) to "
    "the public. Remove and preserve the trader's data.",
    (
        S.AUTHORITY_ORDER,
        C.UNAPPROVED_SUPPLEMENT,
    ): "Order {ref}: product notified in RASFF, contains undeclared "
    "{substance}. Remove all offers of this product.",
    (
        S.AUTHORITY_ORDER,
        C.PROHIBITED_ITEM,
    ): "Order {ref}: prohibited weapon or dangerous item offered to private buyers. Remove.",
    (
        S.AUTHORITY_ORDER,
        C.HIDDEN_LINK,
    ): "Order {ref}: offer steers consumers to an unregistered off-platform shop.",
    (
        S.AUTOMATED,
        C.COUNTERFEIT,
    ): "Brand keyword '{brand}' with price {pct}% below reference; logo similarity {score}.",
    (
        S.AUTOMATED,
        C.UNSAFE_TOY,
    ): "Possible match with recalled product (Safety Gate {alert}), similarity {score}.",
    (S.AUTOMATED, C.UNSAFE_ELECTRICAL): "Mains product; no manufacturer address and a CE-like mark of wrong "
    "proportions detected (score {score}).",
    (S.AUTOMATED, C.ILLEGAL_MEDICINE): "Prescription-only substance '{substance}' in title or images.",
    (S.AUTOMATED, C.UNAPPROVED_SUPPLEMENT): "Unauthorised health claim in text or image (OCR): '{claim}'.",
    (S.AUTOMATED, C.HIDDEN_LINK): "Off-platform contact in image text (OCR): {contact} (score {score}).",
    (S.AUTOMATED, C.ADULT_CONTENT): "Nudity classifier score {score} on image 1.",
    (S.AUTOMATED, C.PROHIBITED_ITEM): "Prohibited items list: keyword match in title (score {score}).",
    (S.AUTOMATED, C.MISLEADING_INFO): "Reference price {pct}% above the category median.",
    (S.AUTOMATED, C.TRADER_TRACEABILITY): "Trader profile incomplete: {missing}.",
    (S.AUTOMATED, C.OTHER): "Keyword match on restricted goods list (score {score}).",
    (S.OWN_INITIATIVE, C.TRADER_TRACEABILITY): "Art 30 check: trader has not provided {missing}.",
    (S.OWN_INITIATIVE, C.HIDDEN_LINK): "Buyer-protection sweep: contact details in listing images.",
}

OWN_WORDS = "Found in a proactive sweep of {category} listings."

SOURCE_WEIGHTS: dict[C, dict[S, int]] = {
    C.COUNTERFEIT: {
        S.USER_NOTICE: 5,
        S.TRUSTED_FLAGGER: 4,
        S.AUTOMATED: 3,
        S.AUTHORITY_ORDER: 1,
        S.OWN_INITIATIVE: 1,
    },
    C.UNSAFE_TOY: {
        S.USER_NOTICE: 4,
        S.TRUSTED_FLAGGER: 2,
        S.AUTOMATED: 2,
        S.AUTHORITY_ORDER: 2,
        S.OWN_INITIATIVE: 1,
    },
    C.UNSAFE_ELECTRICAL: {
        S.USER_NOTICE: 4,
        S.TRUSTED_FLAGGER: 2,
        S.AUTOMATED: 3,
        S.AUTHORITY_ORDER: 2,
        S.OWN_INITIATIVE: 1,
    },
    C.ILLEGAL_MEDICINE: {
        S.USER_NOTICE: 3,
        S.TRUSTED_FLAGGER: 2,
        S.AUTOMATED: 3,
        S.AUTHORITY_ORDER: 2,
        S.OWN_INITIATIVE: 1,
    },
    C.UNAPPROVED_SUPPLEMENT: {
        S.USER_NOTICE: 3,
        S.TRUSTED_FLAGGER: 2,
        S.AUTOMATED: 3,
        S.AUTHORITY_ORDER: 1,
        S.OWN_INITIATIVE: 2,
    },
    C.HIDDEN_LINK: {
        S.USER_NOTICE: 4,
        S.AUTOMATED: 5,
        S.OWN_INITIATIVE: 2,
        S.TRUSTED_FLAGGER: 1,
        S.AUTHORITY_ORDER: 1,
    },
    C.ADULT_CONTENT: {S.USER_NOTICE: 4, S.AUTOMATED: 5, S.TRUSTED_FLAGGER: 1},
    C.PROHIBITED_ITEM: {S.USER_NOTICE: 3, S.AUTOMATED: 2, S.AUTHORITY_ORDER: 2},
    C.MISLEADING_INFO: {S.USER_NOTICE: 4, S.AUTOMATED: 2, S.TRUSTED_FLAGGER: 1},
    C.TRADER_TRACEABILITY: {S.OWN_INITIATIVE: 3, S.AUTOMATED: 2, S.USER_NOTICE: 1},
    C.OTHER: {S.USER_NOTICE: 4, S.AUTOMATED: 1, S.OWN_INITIATIVE: 1},
}
"""How often each source flags each category (authority orders are rare and grave)."""

HARMLESS_SOURCES: dict[S, int] = {S.USER_NOTICE: 5, S.AUTOMATED: 3}
"""Who flags listings that turn out fine: members of the public and over-eager automated checks."""
