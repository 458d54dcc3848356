"""DocumentType.subject → concerns (« subject » is a mail's subject line)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0002_french_admin_labels'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='supportingdocument',
            name='document_one_subject',
        ),
        migrations.RenameField(
            model_name='documenttype',
            old_name='subject',
            new_name='concerns',
        ),
        migrations.AddConstraint(
            model_name='supportingdocument',
            constraint=models.CheckConstraint(condition=models.Q(('adult__isnull', False), ('child__isnull', False), _negated=True), name='document_concerns_one_person'),
        ),
    ]
