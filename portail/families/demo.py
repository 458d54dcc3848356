import datetime

from portail.families.models import Adult, AuthorizedPickup, Child, Contact, Household, School

SCHOOLS = [
    ("École du Chef-Lieu", "12 route de Saint-Julien, 74580 Viry"),
    ("École de Malagny", "3 chemin des Écoliers, 74580 Viry"),
    ("École de Veigy", "25 route de Veigy, 74580 Viry"),
]

# name, address, adults [(first, last, relationship)], children (the demo parent's account:
# accounts' demo.py)
FAMILIES = [
    (
        "Martin",
        "8 rue des Tilleuls",
        [
            ("Claire", "Martin", "mother"),
            ("Thomas", "Martin", "father"),
        ],
        [("Léa", "2018-03-14", 0, "CE2"), ("Hugo", "2021-09-02", 0, "MS")],
    ),
    (
        "Bernard",
        "14 chemin du Moulin",
        [("Sophie", "Bernard", "mother")],
        [("Jules", "2017-06-21", 1, "CM1"), ("Inès", "2019-11-05", 1, "CP")],
    ),
    (
        "Nguyen",
        "2 impasse des Vergers",
        [("Minh", "Nguyen", "father"), ("Julie", "Nguyen", "mother")],
        [("Lina", "2020-01-30", 2, "GS")],
    ),
    (
        "Petit",
        "31 route de Genève",
        [("Karim", "Petit", "father")],
        [
            ("Sarah", "2016-04-12", 2, "CM2"),
            ("Adam", "2018-10-08", 2, "CE2"),
            ("Zoé", "2022-02-17", 2, "PS"),
        ],
    ),
]


def load(stdout):
    schools = []
    for name, address in SCHOOLS:
        school, _ = School.objects.update_or_create(name=name, defaults={"address": address})
        schools.append(school)
    for name, street, adults, children in FAMILIES:
        household, _ = Household.objects.update_or_create(
            name=f"Famille {name}",
            defaults={"address_line1": street, "postcode": "74580", "city": "Viry"},
        )
        for first, last, relationship in adults:
            email = f"{first}.{last}@demo.viry.test".lower().replace("é", "e")
            Adult.objects.update_or_create(
                household=household,
                first_name=first,
                last_name=last,
                defaults={
                    "relationship": relationship,
                    "email": email,
                    "phone": "06 12 34 56 78",
                },
            )
        Contact.objects.get_or_create(
            household=household,
            channel=Contact.Channel.PHONE,
            value="04 50 12 34 56",
            defaults={"label": "Domicile"},
        )
        for first, birth, school_index, level in children:
            child, _ = Child.objects.update_or_create(
                household=household,
                first_name=first,
                defaults={
                    "last_name": name,
                    "birth_date": datetime.date.fromisoformat(birth),
                    "school": schools[school_index],
                    "level": level,
                },
            )
            if first == "Léa":
                child.allergies = "Arachide"
                child.has_pai = True
                child.save()
            AuthorizedPickup.objects.get_or_create(
                child=child,
                first_name="Jeanne",
                last_name="Durand",
                defaults={"relationship": "Grand-mère", "phone": "06 98 76 54 32"},
            )
