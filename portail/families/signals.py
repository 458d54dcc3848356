"""Keep each household's search key (`families.search`) true after any single save or delete
of the household, an adult, a child or a contact: the profile, the agents' record, the
administration and the tests all go through `save()`. Bulk paths call
`services.refresh_search_keys` themselves."""

from portail.families.services import refresh_search_keys


def refresh_after_member_change(sender, instance, **kwargs):
    refresh_search_keys([instance.household_id])


def refresh_after_household_save(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_keys([instance.pk])
