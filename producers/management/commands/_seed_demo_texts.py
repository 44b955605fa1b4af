# ruff: noqa: E501 -- prose: one sentence per line reads better than wrapped strings.
"""Vocabulary for `manage.py seed_demo`: plausible French names, descriptions, hours and delivery details.

Each profile is a kind of business (market gardener, baker, potter…) with the categories it sells in, so the
texts a visitor reads match the categories the filters find. Placeholders are filled per listing by the command:
{commune} {lieu} {first_name} {last_name} {partner} {year} {ha} {n} {count} {km} {market_commune}.
"""

# "Ferme du Grand Chêne", "Domaine de la Vieille Fontaine", "Vergers des Trois Chênes"…
LIEUX_MASCULINE = ["Chêne", "Moulin", "Bois", "Pré", "Val", "Clos", "Coteau", "Pressoir", "Verger", "Hameau", "Logis"]
LIEUX_MASCULINE += ["Champ", "Puits", "Four", "Tertre", "Marais", "Gué", "Plessis", "Bocage", "Chemin", "Fresne"]
LIEUX_FEMININE = ["Noue", "Garenne", "Source", "Fontaine", "Prairie", "Butte", "Bergerie", "Vallée", "Lande", "Touche"]
LIEUX_FEMININE += ["Rivière", "Croix", "Métairie", "Borderie", "Grange", "Chaussée", "Forge", "Roche", "Motte", "Haie"]
ADJECTIVES_MASCULINE = ["Grand", "Petit", "Vieux", "Haut", "Bas", "Beau"]
ADJECTIVES_FEMININE = ["Grande", "Petite", "Vieille", "Haute", "Basse", "Belle"]
LIEUX_PLURAL = [
    "des Trois Chênes",
    "des Noyers",
    "des Tilleuls",
    "des Genêts",
    "des Landes",
    "des Mottes",
    "des Vignes",
]
LIEUX_PLURAL += ["des Coteaux", "des Grands Champs", "des Peupliers", "des Saules", "des Aubépines", "des Brosses"]
LIEUX_PLURAL += ["des Quatre Vents", "des Châtaigniers", "des Roches", "des Prés Verts", "des Sept Fontaines"]
LIEUX_NAMED = ["de Beauregard", "de Bellevue", "de Montplaisir", "de Bel-Air", "de la Chesnaie", "de l'Orme"]
LIEUX_NAMED += ["de l'Aubinière", "de la Brosse", "de Launay", "du Plessis-Macé", "de la Thibaudière", "de l'Ouche"]

HOURS = {
    "farm": [
        "Fr 16:00-19:00; Sa 09:00-12:00",
        "We,Fr 17:00-19:30",
        "Sa 09:00-12:30",
        "Tu,Fr 16:30-19:00; PH off",
        "Mo-Sa 09:00-12:00,14:00-18:30; PH off",
        "We 15:00-19:00; Sa 09:00-12:00",
        'Mo-Fr "sur rendez-vous"',
        "",
    ],
    "shop": [
        "Tu-Sa 09:30-12:30,14:00-19:00",
        "Tu-Sa 09:30-12:30,14:00-19:00; PH off",
        "Mo-Sa 09:00-19:00; PH off",
        "Tu-Fr 10:00-13:00,15:00-19:00; Sa 10:00-19:00",
        "Tu-Sa 09:00-12:30,14:30-19:00; Su 09:00-12:30",
    ],
    "bakery": [
        "Tu-Sa 06:30-13:30,15:30-19:30; Su 07:00-12:30",
        "Mo,We-Sa 07:00-13:00,15:30-19:30; Su 07:00-12:30; PH off",
        "Tu-Su 06:45-13:00,16:00-19:30",
    ],
    "market": [
        "Sa 08:00-13:00",
        "We 08:00-12:30",
        "Tu,Fr 08:00-12:30",
        "Su 08:00-13:00",
        "Th 16:00-20:00",
        "Sa 08:00-13:00; PH off",
    ],
    "workshop": [
        'Mo-Fr "sur rendez-vous"',
        "We-Sa 14:00-19:00",
        'Sa 10:00-18:00; Mo-Fr "sur rendez-vous"',
        "Th-Sa 10:00-12:30,14:00-18:30; PH off",
        "",
    ],
    "winery": [
        "Mo-Sa 09:00-12:00,14:00-18:00; PH off",
        "Mo-Fr 14:00-18:00; Sa 10:00-12:00,14:00-18:00",
        'Mo-Sa "sur rendez-vous"',
    ],
    "collective": [
        "Tu-Fr 10:00-13:00,15:00-19:00; Sa 09:00-18:00",
        "We-Fr 15:00-19:00; Sa 09:00-13:00",
        "Fr 16:00-19:30",
    ],
}

DELIVERY_DETAILS = {
    "click-and-collect": [
        "commande avant jeudi midi, retrait le vendredi soir",
        "commande en ligne, retrait sous 48 h",
        "commande par téléphone la veille",
        "",
    ],
    "home-delivery": [
        "dans un rayon de {km} km autour de {commune}",
        "le mercredi à {commune} et alentours",
        "à vélo dans {commune}",
        "",
    ],
    "shipping": ["partout en France par Colissimo", "expédition sous 3 jours ouvrés", "en point relais", ""],
    "markets": [
        "le samedi matin au marché de {market_commune}",
        "les mercredi et samedi au marché de {market_commune}",
        "le dimanche matin au marché de {market_commune}",
        "le jeudi soir au marché des producteurs de {market_commune}",
    ],
}

CLOSING_FOOD = [
    "Nous vous accueillons avec plaisir pour une visite, il suffit de nous appeler.",
    "Pas d'intermédiaire : vous payez le juste prix et nous vivons de notre travail.",
    "Venez nous rencontrer, nous aimons expliquer notre métier.",
    "Tout est produit ici, à {commune} ou à quelques kilomètres.",
    "",
]
CLOSING_CRAFT = [
    "Chaque pièce est unique et fabriquée à la main à {commune}.",
    "Les commandes personnalisées sont les bienvenues.",
    "Je propose aussi des ateliers d'initiation, seul ou en petit groupe.",
    "Vous pouvez venir voir l'atelier et les pièces en cours.",
    "",
]
# A last paragraph, now and then: real listings add practical details, and texts stop repeating each other.
PRACTICAL = [
    "On nous trouve aussi le samedi matin au marché de {market_commune}.",
    "{first_name} répond volontiers au téléphone, le mieux en fin de journée.",
    "Fermeture annuelle deux semaines en février : pensez à appeler avant de venir.",
    "Parking facile devant l'entrée, accès de plain-pied.",
    "Nous travaillons seul{e}s depuis {year} : merci de votre patience les jours d'affluence.",
    "Les cartes bancaires sont acceptées, les chèques aussi.",
    "Retrouvez nos nouvelles (arrivages, fermetures, événements) sur notre page.",
    "Groupes et écoles bienvenus sur rendez-vous, à {km} km à la ronde.",
    "Un petit coin d'ombre et un banc attendent ceux qui viennent à vélo.",
    "Nous prenons les commandes pour les fêtes dès le mois de novembre.",
]
PRACTICAL_SHARE = 0.7

# Listings of the market profile are weekly markets, except these: (share, names, short descriptions, first
# sentences, description, hours). A fair's hours are dates in the coming December ({year}); a pick-up point opens an evening a week.
MARKET_TYPES = {
    "pickup": (
        0.15,
        ["AMAP de {commune}", "AMAP {lieu}", "Point de retrait des paniers de {commune}"],
        ["Distribution des paniers de légumes et des commandes des producteurs partenaires"],
        [
            "Créée en {year}, l'AMAP réunit {count} familles de {commune} et {n} producteurs partenaires.",
            "Depuis {year}, {count} adhérents soutiennent {n} fermes des environs de {commune}.",
            "L'AMAP est née en {year} de l'envie de {count} voisins de {commune} de manger local.",
        ],
        "Chaque semaine, les adhérents retirent leur panier de légumes, et leurs commandes de pain, de fromage "
        "ou de viande, auprès des producteurs partenaires.",
        ["Th 18:00-19:30", "Tu 18:30-19:30", "Fr 17:30-19:00"],
    ),
    "fair": (
        0.15,
        ["Marché de Noël de {commune}", "Salon des artisans de {commune}", "Marché des créateurs de {commune}"],
        ["Une quarantaine d'artisans, de créateurs et de producteurs pour les fêtes"],
        [
            "Depuis {year}, {count} exposants s'installent chaque décembre à {commune}.",
            "Organisé depuis {year} par le comité des fêtes de {commune}, il accueille {count} exposants.",
            "{count} artisans, créateurs et producteurs, sélectionnés par l'association {lieu}, depuis {year}.",
        ],
        "Bijoux, céramique, jouets en bois, savons, miel, foie gras et vin chaud : de quoi remplir la hotte.",
        ["{year} Dec 12-14 10:00-19:00", "{year} Dec 5-6 10:00-18:00", "{year} Dec 19-20 10:00-19:00"],
    ),
}

# weight: how common; kinds: (kind, weight); categories: always the first existing one, then 0-2 of extra.
PROFILES = [
    {
        "weight": 14,
        "kinds": [("producer", 1)],
        "categories": ["fruits-legumes"],
        "extra": ["oeufs", "plantes-fleurs", "epicerie"],
        "names": ["Ferme {lieu}", "Les Jardins {lieu}", "Le Potager de {first_name}", "Maraîchage {last_name}"]
        + ["EARL {lieu}", "Les Paniers de {commune}", "Jardin {lieu}", "Les Légumes de {first_name}"],
        "short": [
            "Légumes de saison cultivés en agriculture biologique",
            "Maraîchage sur sol vivant, vente à la ferme et en paniers",
            "Fruits et légumes de saison cueillis le matin même",
            "Plus de {count} variétés de légumes, sans traitement chimique",
        ],
        "intro": [
            "Installés depuis {year} à {commune}, nous cultivons une cinquantaine de variétés de légumes sur {ha} hectares.",
            "{first_name} et {partner} ont repris la ferme familiale en {year} et l'ont convertie au maraîchage biologique.",
            "Après une première vie en ville, {first_name} s'est installé{e} à {commune} en {year} pour cultiver des légumes.",
        ],
        "craft": [
            "Nous travaillons sur sol vivant, sans labour, avec du fumier des éleveurs voisins et beaucoup de paillage.",
            "Les semences sont en partie produites à la ferme, et nous privilégions les variétés anciennes et rustiques.",
            "Nos serres froides nous permettent de proposer des légumes primeurs sans jamais chauffer.",
        ],
        "products": [
            "Au fil des saisons : tomates anciennes, courges, poireaux, salades, fraises et petits fruits.",
            "Chaque semaine, un panier de {n} légumes différents, composé selon ce que le jardin donne.",
            "En hiver, choux, panais, carottes et pommes de terre de garde ; en été, tomates, aubergines et melons.",
        ],
        "hours": "farm",
        "delivery": {"on-site": 0.8, "markets": 0.6, "click-and-collect": 0.3, "home-delivery": 0.1},
        "craftsman": False,
    },
    {
        "weight": 5,
        "kinds": [("producer", 1)],
        "categories": ["fruits-legumes"],
        "extra": ["boissons", "epicerie"],
        "names": [
            "Vergers {lieu}",
            "Les Pommes de {first_name}",
            "Arboriculture {last_name}",
            "Les Vergers de {commune}",
        ],
        "short": [
            "Pommes, poires et jus de fruits du verger",
            "Vergers en conversion bio, cueillette et pressage à la ferme",
            "Fruits du verger, jus, cidre et compotes",
        ],
        "intro": [
            "Nos vergers de {ha} hectares à {commune} sont dans la famille depuis trois générations.",
            "{first_name} a planté ses premiers pommiers en {year}, sur les coteaux de {commune}.",
        ],
        "craft": [
            "Nous cultivons une trentaine de variétés, dont beaucoup d'anciennes, en protégeant les haies et les auxiliaires.",
            "Les fruits sont cueillis à maturité et pressés à la ferme, sans sucre ajouté.",
        ],
        "products": [
            "Pommes à couteau et à cuire, poires, jus pétillant, cidre brut et vinaigre de cidre.",
            "De septembre à avril, pommes et poires de garde ; toute l'année, jus et compotes.",
        ],
        "hours": "farm",
        "delivery": {"on-site": 0.9, "markets": 0.5, "click-and-collect": 0.2},
        "craftsman": False,
    },
    {
        "weight": 8,
        "kinds": [("producer", 1)],
        "categories": ["viande"],
        "livestock": True,
        "extra": ["oeufs", "plats-cuisines", "produits-laitiers-fromages"],
        "names": ["Ferme {lieu}", "GAEC {lieu}", "Élevage {last_name}", "La Ferme de {first_name}"]
        + ["Les Prés {lieu}", "Bergerie {lieu}"],
        "short": [
            "Viande de bœuf et de veau élevés à l'herbe, en colis",
            "Volailles fermières élevées en plein air",
            "Agneaux et porcs plein air, vente directe à la ferme",
            "Élevage bio, viande en caissettes sur commande",
        ],
        "intro": [
            "Sur {ha} hectares de prairies à {commune}, nous élevons un troupeau de vaches de race locale.",
            "{first_name} et {partner} élèvent volailles et porcs en plein air depuis {year}.",
            "Notre ferme familiale de {commune} est passée en agriculture biologique en {year}.",
        ],
        "craft": [
            "Les animaux pâturent du printemps à l'automne et sont nourris au foin de la ferme l'hiver.",
            "Nous faisons abattre dans un abattoir de proximité et découpons nous-mêmes dans notre atelier.",
            "Les volailles grandissent lentement, au moins {count} jours, avec des céréales produites sur place.",
        ],
        "products": [
            "Colis de 5 ou 10 kg, steaks hachés, saucisses, rillettes et terrines maison.",
            "Poulets, pintades, canards, et à Noël chapons et dindes fermières.",
            "Caissettes d'agneau au printemps, porc en automne, charcuterie toute l'année.",
        ],
        "hours": "farm",
        "delivery": {"on-site": 0.8, "click-and-collect": 0.5, "markets": 0.3, "home-delivery": 0.15},
        "craftsman": False,
    },
    {
        "weight": 4,
        "kinds": [("shop", 1)],
        "categories": ["viande"],
        "extra": ["plats-cuisines", "epicerie"],
        "names": ["Boucherie {last_name}", "Boucherie-Charcuterie {last_name}", "La Boucherie de {commune}"]
        + ["Maison {last_name}"],
        "short": [
            "Boucherie artisanale, viandes d'éleveurs du département",
            "Charcuterie maison et viandes de la région",
            "Boucher-charcutier-traiteur depuis {year}",
        ],
        "intro": [
            "La Maison {last_name} tient la boucherie de {commune} depuis {year}.",
            "{first_name} a repris la boucherie du centre de {commune} en {year}, après quinze ans de métier.",
        ],
        "craft": [
            "Nous achetons nos bêtes sur pied à des éleveurs que nous connaissons, à moins de {km} km.",
            "Jambons, pâtés et boudins sont faits à la boutique, selon nos recettes.",
        ],
        "products": [
            "Bœuf maturé, veau fermier, agneau du pays, volailles, charcuterie et plats du jour.",
            "Rôtis, terrines, saucisses, et un rayon traiteur pour les fêtes.",
        ],
        "hours": "shop",
        "delivery": {"on-site": 1.0, "click-and-collect": 0.4, "home-delivery": 0.1},
        "craftsman": False,
    },
    {
        "weight": 7,
        "kinds": [("producer", 1)],
        "categories": ["produits-laitiers-fromages"],
        "livestock": True,
        "extra": ["viande", "oeufs"],
        "names": ["Chèvrerie {lieu}", "Fromagerie {last_name}", "La Ferme {lieu}", "Les Biquettes de {first_name}"]
        + ["Laiterie {lieu}", "GAEC {lieu}"],
        "short": [
            "Fromages de chèvre fermiers au lait cru",
            "Yaourts, beurre et fromages de vache de la ferme",
            "Tommes et fromages lactiques affinés à la ferme",
        ],
        "intro": [
            "À {commune}, nous élevons une soixantaine de chèvres que nous trayons deux fois par jour.",
            "{first_name} transforme depuis {year} tout le lait de nos {count} vaches en fromages, beurre et yaourts.",
        ],
        "craft": [
            "Le lait cru est caillé le jour même, moulé à la louche et affiné dans notre cave.",
            "Nos bêtes sortent au pré dès que le temps le permet, et le foin vient de nos parcelles.",
        ],
        "products": [
            "Crottins frais, demi-secs et secs, bûches cendrées, faisselles et tommes.",
            "Yaourts nature et aux fruits, crème crue, beurre baratté, fromage blanc et tommes.",
        ],
        "hours": "farm",
        "delivery": {"on-site": 0.8, "markets": 0.7, "click-and-collect": 0.2},
        "craftsman": False,
    },
    {
        "weight": 9,
        "kinds": [("shop", 2), ("artisan", 1)],
        "categories": ["pain-patisserie"],
        "extra": ["epicerie", "plats-cuisines"],
        "names": [
            "Boulangerie {last_name}",
            "Au Fournil de {commune}",
            "Le Pain de {first_name}",
            "Pâtisserie {last_name}",
        ]
        + ["Boulangerie-Pâtisserie {last_name}", "La Mie {lieu}", "Le Fournil {lieu}"],
        "short": [
            "Pain au levain cuit au feu de bois",
            "Boulangerie-pâtisserie artisanale, farines locales",
            "Pains, viennoiseries et gâteaux faits maison",
        ],
        "intro": [
            "{first_name} a ouvert la boulangerie de {commune} en {year}, après un tour de France compagnon.",
            "Depuis {year}, la boulangerie {last_name} fait le pain du bourg de {commune}.",
        ],
        "craft": [
            "Nous travaillons au levain naturel, avec des farines de meuniers du département et de longues fermentations.",
            "Les viennoiseries sont tourées au beurre AOP chaque matin, rien n'est surgelé.",
        ],
        "products": [
            "Pain de campagne, pain aux graines, baguettes de tradition, brioches, tartes de saison et fouaces.",
            "Viennoiseries, entremets, galettes des rois en janvier et gâteaux sur commande.",
        ],
        "hours": "bakery",
        "delivery": {"on-site": 1.0, "click-and-collect": 0.3, "markets": 0.2},
        "craftsman": False,
    },
    {
        "weight": 3,
        "kinds": [("producer", 1)],
        "categories": ["pain-patisserie"],
        "extra": ["epicerie", "fruits-legumes"],
        "names": ["Le Fournil {lieu}", "Paysan boulanger {last_name}", "Les Blés de {first_name}"],
        "short": ["Paysan-boulanger : du blé au pain", "Pain bio au levain, blés anciens cultivés à la ferme"],
        "intro": [
            "Nous cultivons nos blés anciens à {commune}, les moulons sur meule de pierre et cuisons au feu de bois.",
            "{first_name} est paysan-boulanger depuis {year} : {ha} hectares de céréales et un four à bois.",
        ],
        "craft": [
            "Les pâtes lèvent lentement au levain, {n} heures au moins, pour un pain qui se garde une semaine.",
        ],
        "products": ["Pains de 1 à 2 kg, pains aux graines, brioches le samedi, farine et flocons d'avoine."],
        "hours": "farm",
        "delivery": {"on-site": 0.7, "markets": 0.6, "click-and-collect": 0.4},
        "craftsman": False,
    },
    {
        "weight": 6,
        "kinds": [("producer", 1)],
        "categories": ["boissons"],
        "extra": ["epicerie"],
        "names": ["Domaine {lieu}", "Domaine {last_name}", "Vignoble {last_name}", "Château {lieu}", "Clos {lieu}"],
        "short": [
            "Vins en agriculture biologique, vente au caveau",
            "Vigneron indépendant, dégustation au domaine",
            "Vins nature et pétillants, vendanges à la main",
        ],
        "intro": [
            "Vignerons de père en fils, nous cultivons {ha} hectares de vignes à {commune}.",
            "{first_name} a repris le domaine en {year} et l'a converti à l'agriculture biologique.",
        ],
        "craft": [
            "Les vendanges sont manuelles, les fermentations se font avec les levures indigènes, sans sulfites ajoutés.",
            "Nous enherbons les rangs et travaillons les sols au cheval sur nos plus vieilles parcelles.",
        ],
        "products": [
            "Rouges, blancs secs et moelleux, rosés et fines bulles, en bouteilles et en bag-in-box.",
            "Une gamme de {n} cuvées, des vins de copains aux cuvées de garde.",
        ],
        "hours": "winery",
        "delivery": {"on-site": 0.9, "shipping": 0.5, "markets": 0.2, "click-and-collect": 0.2},
        "craftsman": False,
    },
    {
        "weight": 3,
        "kinds": [("artisan", 1)],
        "categories": ["boissons"],
        "extra": ["epicerie"],
        "names": ["Brasserie {lieu}", "Brasserie artisanale {last_name}", "La Brasserie de {commune}"],
        "short": ["Bières artisanales brassées à {commune}", "Micro-brasserie bio, bières non filtrées"],
        "intro": [
            "{first_name} brasse depuis {year} dans une ancienne grange de {commune}.",
            "Notre petite brasserie de {commune} produit une dizaine de bières, toutes non filtrées et non pasteurisées.",
        ],
        "craft": ["Malts et houblons viennent autant que possible de producteurs français, certains de la région."],
        "products": ["Blonde, ambrée, IPA, stout, et des bières de saison au gré des récoltes."],
        "hours": "workshop",
        "delivery": {"on-site": 0.7, "markets": 0.4, "click-and-collect": 0.3, "shipping": 0.2},
        "craftsman": False,
    },
    {
        "weight": 6,
        "kinds": [("shop", 1)],
        "categories": ["epicerie"],
        "extra": ["fruits-legumes", "produits-laitiers-fromages", "boissons", "cosmetiques"],
        "names": ["L'Épicerie de {commune}", "Épicerie {last_name}", "Au Bocal", "Le Comptoir {lieu}"]
        + ["L'Épicerie Vrac de {first_name}", "Le Garde-Manger de {commune}"],
        "short": [
            "Épicerie de produits locaux et en vrac",
            "Épicerie fine et produits de producteurs à moins de {km} km",
            "Vrac, zéro déchet et produits du coin",
        ],
        "intro": [
            "{first_name} a ouvert l'épicerie de {commune} en {year} pour rapprocher les habitants des producteurs.",
            "Notre épicerie du centre de {commune} travaille avec une quarantaine de producteurs du département.",
        ],
        "craft": ["Nous choisissons chaque fournisseur après une visite, et privilégions les produits sans emballage."],
        "products": [
            "Légumineuses, farines, huiles, fromages, fruits et légumes, boissons et produits d'entretien en vrac.",
        ],
        "hours": "shop",
        "delivery": {"on-site": 1.0, "click-and-collect": 0.4, "home-delivery": 0.2},
        "craftsman": False,
    },
    {
        "weight": 4,
        "kinds": [("producer", 1)],
        "categories": ["miel"],
        "extra": ["epicerie", "cosmetiques"],
        "names": ["Les Ruchers {lieu}", "Miellerie {last_name}", "Le Miel de {first_name}", "Rucher {lieu}"],
        "short": ["Miels de fleurs récoltés à {commune}", "Apiculteur : miels, pollen et pain d'épices"],
        "intro": ["{first_name} est apiculteur{e} à {commune} depuis {year} et s'occupe de {count} ruches."],
        "craft": [
            "Les ruches sont installées chez des agriculteurs bio et en lisière de bois, loin des cultures traitées."
        ],
        "products": ["Miels de printemps, d'acacia, de châtaignier et de tilleul, pollen, propolis et bougies."],
        "hours": "farm",
        "delivery": {"on-site": 0.6, "markets": 0.6, "shipping": 0.3},
        "craftsman": False,
    },
    {
        "weight": 3,
        "kinds": [("producer", 1)],
        "categories": ["oeufs"],
        "livestock": True,
        "extra": ["viande", "fruits-legumes"],
        "names": ["Les Poules {lieu}", "Ferme avicole {last_name}", "Les Œufs de {first_name}"],
        "short": ["Œufs de poules élevées en plein air", "Œufs bio et volailles fermières"],
        "intro": [
            "À {commune}, nos quelques centaines de poules ont chacune plusieurs mètres carrés de parcours herbeux."
        ],
        "craft": ["Elles sont nourries avec les céréales de la ferme, sans OGM."],
        "products": ["Œufs extra-frais par boîte de 6, 12 ou 30, et poules de réforme à l'automne."],
        "hours": "farm",
        "delivery": {"on-site": 0.9, "markets": 0.4},
        "craftsman": False,
    },
    {
        "weight": 2,
        "kinds": [("producer", 1), ("shop", 1)],
        "categories": ["poisson"],
        "extra": ["plats-cuisines"],
        "names": ["Poissonnerie {last_name}", "La Marée de {commune}", "Pêcherie {lieu}"],
        "short": ["Poissons de pêche locale et coquillages", "Pêcheur en rivière et étangs, poissons fumés"],
        "intro": ["{first_name} pêche et vend son poisson depuis {year}."],
        "craft": ["Nous ne vendons que des poissons de saison, pêchés de façon sélective."],
        "products": ["Poissons entiers et en filets, moules, huîtres, rillettes et poissons fumés maison."],
        "hours": "shop",
        "delivery": {"on-site": 0.8, "markets": 0.7},
        "craftsman": False,
    },
    {
        "weight": 3,
        "kinds": [("artisan", 1), ("shop", 1)],
        "categories": ["plats-cuisines"],
        "extra": ["epicerie", "pain-patisserie"],
        "names": ["Traiteur {last_name}", "La Cuisine de {first_name}", "Les Bocaux de {commune}"],
        "short": ["Plats cuisinés avec les produits de la ferme", "Traiteur : plats du jour et conserves maison"],
        "intro": ["{first_name} cuisine à {commune} depuis {year} avec les légumes et viandes de producteurs voisins."],
        "craft": ["Tout est fait maison, en bocaux consignés, sans additifs."],
        "products": ["Plats du jour, soupes, terrines, bocaux de légumes cuisinés et desserts."],
        "hours": "shop",
        "delivery": {"on-site": 0.8, "click-and-collect": 0.5, "home-delivery": 0.3, "markets": 0.3},
        "craftsman": False,
    },
    {
        "weight": 3,
        "kinds": [("producer", 1)],
        "categories": ["plantes-fleurs"],
        "extra": ["fruits-legumes"],
        "names": ["Pépinière {lieu}", "Les Fleurs de {first_name}", "Horticulture {last_name}", "Jardin {lieu}"],
        "short": [
            "Plants potagers, vivaces et fleurs coupées de saison",
            "Pépinière de plantes vivaces et aromatiques",
        ],
        "intro": ["{first_name} cultive fleurs et plants à {commune} depuis {year}, sans chauffage ni pesticides."],
        "craft": ["Nos plants sont semés et repiqués ici, dans un terreau sans tourbe."],
        "products": ["Plants de tomates et de courges au printemps, vivaces, aromatiques et bouquets de saison."],
        "hours": "farm",
        "delivery": {"on-site": 0.9, "markets": 0.5},
        "craftsman": False,
    },
    {
        "weight": 4,
        "kinds": [("artisan", 1)],
        "categories": ["artisanat"],
        "extra": ["mobilier-decoration", "art"],
        "names": [
            "Atelier Terre & Feu",
            "Poterie {lieu}",
            "Céramiques {first_name} {last_name}",
            "L'Atelier de {first_name}",
        ]
        + ["Terre {lieu}", "Poterie de {commune}"],
        "short": ["Céramiques utilitaires tournées à la main", "Potier : grès et porcelaine cuits au four à bois"],
        "intro": ["{first_name} est céramiste à {commune} depuis {year}, dans un ancien corps de ferme."],
        "craft": [
            "Je tourne le grès et la porcelaine, et prépare moi-même mes émaux à partir de cendres et de minéraux.",
            "Les cuissons se font au four à bois deux fois par an, et au four électrique le reste du temps.",
        ],
        "products": ["Bols, tasses, assiettes, plats à four, vases et pièces uniques."],
        "hours": "workshop",
        "delivery": {"on-site": 0.7, "shipping": 0.5, "markets": 0.4},
        "craftsman": True,
    },
    {
        "weight": 3,
        "kinds": [("artisan", 1)],
        "categories": ["mobilier-decoration"],
        "extra": ["artisanat", "jeux-jouets"],
        "names": ["Atelier {last_name}", "L'Établi de {first_name}", "Ébénisterie {lieu}", "Menuiserie {last_name}"],
        "short": ["Ébéniste : meubles sur mesure en bois massif", "Mobilier et objets en bois local"],
        "intro": ["{first_name} est ébéniste depuis {year} et a installé son atelier à {commune}."],
        "craft": ["Je travaille des bois de pays, chêne, frêne, noyer, achetés à une scierie voisine."],
        "products": ["Tables, bibliothèques, planches à découper, luminaires et restauration de meubles anciens."],
        "hours": "workshop",
        "delivery": {"on-site": 0.8, "home-delivery": 0.3},
        "craftsman": True,
    },
    {
        "weight": 4,
        "kinds": [("creator", 1)],
        "categories": ["vetements-accessoires"],
        "extra": ["artisanat", "bijoux"],
        "names": ["{first_name} Création", "Atelier {first_name}", "Les Fils de {first_name}", "Maison {last_name}"],
        "short": [
            "Vêtements et accessoires cousus à {commune}",
            "Créatrice : sacs et vêtements en tissus de récupération",
        ],
        "intro": ["{first_name} coud et crée dans son atelier de {commune} depuis {year}."],
        "craft": ["Je choisis des tissus certifiés ou de seconde main et je coupe en petites séries."],
        "products": ["Sacs, trousses, vêtements pour enfants, bonnets en laine et retouches."],
        "hours": "workshop",
        "delivery": {"shipping": 0.7, "on-site": 0.4, "markets": 0.4},
        "craftsman": True,
    },
    {
        "weight": 4,
        "kinds": [("creator", 1)],
        "categories": ["bijoux"],
        "extra": ["vetements-accessoires", "art"],
        "names": ["Bijoux {first_name}", "Atelier {first_name} {last_name}", "Les Bijoux {lieu}"],
        "short": ["Bijoux en argent recyclé faits main", "Créatrice de bijoux en laiton et pierres fines"],
        "intro": ["{first_name} crée des bijoux à {commune} depuis {year}."],
        "craft": ["Chaque pièce est sciée, soudée et polie à la main, en argent recyclé."],
        "products": ["Boucles d'oreilles, bagues, colliers et alliances sur mesure."],
        "hours": "workshop",
        "delivery": {"shipping": 0.8, "on-site": 0.3, "markets": 0.4},
        "craftsman": True,
    },
    {
        "weight": 2,
        "kinds": [("artisan", 1)],
        "categories": ["jeux-jouets"],
        "extra": ["mobilier-decoration", "artisanat"],
        "names": ["Les Jouets de {first_name}", "Atelier Copeaux & Cie", "Jouets {lieu}"],
        "short": ["Jouets en bois fabriqués à la main", "Jeux en bois et jouets durables"],
        "intro": ["{first_name} fabrique des jouets en bois à {commune} depuis {year}."],
        "craft": ["Bois non traités et finitions à l'huile alimentaire, pour des jouets qui se transmettent."],
        "products": ["Toupies, camions, puzzles, jeux de société et meubles pour enfants."],
        "hours": "workshop",
        "delivery": {"on-site": 0.5, "shipping": 0.6, "markets": 0.5},
        "craftsman": True,
    },
    {
        "weight": 3,
        "kinds": [("creator", 1), ("artisan", 1)],
        "categories": ["cosmetiques"],
        "extra": ["miel", "plantes-fleurs"],
        "names": ["Savonnerie {lieu}", "Savonnerie des Genêts", "Les Savons de {first_name}", "Herboristerie {lieu}"],
        "short": ["Savons saponifiés à froid et cosmétiques naturels", "Cosmétiques bio aux plantes du jardin"],
        "intro": ["{first_name} a créé sa savonnerie à {commune} en {year}."],
        "craft": ["Nos savons sont saponifiés à froid, avec des huiles bio et les plantes que nous cultivons."],
        "products": ["Savons, shampoings solides, baumes, hydrolats et huiles de massage."],
        "hours": "workshop",
        "delivery": {"shipping": 0.6, "on-site": 0.5, "markets": 0.5},
        "craftsman": True,
    },
    {
        "weight": 2,
        "kinds": [("creator", 1), ("shop", 1)],
        "categories": ["livres-papeterie"],
        "extra": ["art", "artisanat"],
        "names": ["Librairie {lieu}", "Reliure {last_name}", "Papeterie de {commune}", "Les Carnets de {first_name}"],
        "short": ["Reliure d'art et carnets faits main", "Librairie indépendante et papeterie"],
        "intro": ["{first_name} a ouvert sa boutique-atelier à {commune} en {year}."],
        "craft": ["Les carnets sont cousus à la main avec des papiers de moulins français."],
        "products": ["Carnets, livres d'occasion, cartes illustrées et restauration de livres anciens."],
        "hours": "shop",
        "delivery": {"on-site": 0.9, "shipping": 0.4},
        "craftsman": True,
    },
    {
        "weight": 2,
        "kinds": [("creator", 1)],
        "categories": ["art"],
        "extra": ["mobilier-decoration", "livres-papeterie"],
        "names": ["Atelier {first_name} {last_name}", "Galerie {lieu}", "{first_name} {last_name}, peintre"],
        "short": ["Peintures, gravures et illustrations originales", "Artiste graveur : estampes en petits tirages"],
        "intro": ["{first_name} peint et grave à {commune} depuis {year}."],
        "craft": ["Gravures sur bois et linogravures imprimées à la presse, en tirages limités."],
        "products": ["Estampes, toiles, affiches illustrées et cours de dessin."],
        "hours": "workshop",
        "delivery": {"on-site": 0.6, "shipping": 0.6},
        "craftsman": True,
    },
    {
        "weight": 4,
        "kinds": [("market", 1)],
        "categories": ["fruits-legumes"],
        "extra": ["viande", "produits-laitiers-fromages", "pain-patisserie", "poisson", "plantes-fleurs"],
        "names": ["Marché de {commune}", "Marché des producteurs de {commune}", "Marché bio de {commune}"]
        + ["Marché du centre-ville de {commune}", "Halles de {commune}"],
        "short": ["Marché hebdomadaire de producteurs locaux", "Marché de plein air, une trentaine d'exposants"],
        "intro": [
            "Le marché de {commune} réunit chaque semaine une trentaine de producteurs et artisans.",
            "Créé en {year}, le marché des producteurs de {commune} n'accueille que des exposants qui vendent leur production.",
        ],
        "craft": ["Maraîchers, éleveurs, fromagers, boulangers et quelques artisans se retrouvent sur la place."],
        "products": ["Vous y trouverez légumes, fromages, viande, pain, miel, fleurs et plats à emporter."],
        "hours": "market",
        "delivery": {"on-site": 1.0},
        "craftsman": False,
    },
    {
        "weight": 3,
        "kinds": [("collective", 1)],
        "categories": ["fruits-legumes"],
        "extra": ["viande", "produits-laitiers-fromages", "pain-patisserie", "epicerie", "boissons", "oeufs"],
        "names": ["Magasin de producteurs {lieu}", "Drive fermier de {commune}", "La Coopérative {lieu}"]
        + ["Les Producteurs de {commune}", "AMAP de {commune}"],
        "short": [
            "Magasin tenu par {n} producteurs associés",
            "Drive fermier : commandez en ligne, retirez à la ferme",
        ],
        "intro": ["Depuis {year}, {n} fermes des environs de {commune} vendent ensemble leurs produits."],
        "craft": ["Chaque producteur assure des permanences : vous êtes toujours servi par l'un d'entre nous."],
        "products": ["Légumes, viandes, fromages, pain, œufs, vins et jus, épicerie et produits d'hygiène."],
        "hours": "collective",
        "delivery": {"on-site": 0.8, "click-and-collect": 0.7, "home-delivery": 0.1},
        "craftsman": False,
    },
]
