from portail.families.models import Child, Household


def children_of(household: Household):
    return Child.objects.filter(household=household).select_related("school")
