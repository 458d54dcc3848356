"""The families' part of « Mes données »: household, adults, children, contacts, pickups."""

from portail.families.models import AuthorizedPickup


def export_household(household) -> dict:
    return {
        "household": {
            "name": household.name,
            "address_line1": household.address_line1,
            "address_line2": household.address_line2,
            "postcode": household.postcode,
            "city": household.city,
            "family_quotient": household.family_quotient,
            "created_at": household.created_at,
        },
        "adults": [
            {
                "first_name": a.first_name,
                "last_name": a.last_name,
                "relationship": a.get_relationship_display(),
                "email": a.email,
                "phone": a.phone,
                "account": a.user.username if a.user_id else None,
            }
            for a in household.adults.select_related("user")
        ],
        "children": [
            {
                "first_name": c.first_name,
                "last_name": c.last_name,
                "birth_date": c.birth_date,
                "school": c.school.name if c.school_id else None,
                "level": c.level,
                "no_pork": c.no_pork,
                "gluten_free": c.gluten_free,
                "allergies": c.allergies,
                "individual_care_plan": c.has_pai,
                "authorised_persons": [
                    {
                        "first_name": p.first_name,
                        "last_name": p.last_name,
                        "relationship": p.relationship,
                        "phone": p.phone,
                    }
                    for p in AuthorizedPickup.objects.filter(child=c)
                ],
            }
            for c in household.children.select_related("school")
        ],
        "contacts": [
            {"kind": c.channel, "value": c.value, "label": c.label}
            for c in household.contacts.all()
        ],
    }
