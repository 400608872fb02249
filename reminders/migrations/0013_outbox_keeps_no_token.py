"""Texts stored before the outbox stopped keeping link tokens lose theirs.

Until then a text's filled link was written back to its row until the hand-over, so a
text settled, suppressed or withdrawn in between kept a working token (docs/rules.md,
"patient links"). Texts still waiting get the link's place back (the send makes a new
link); every other text keeps its link masked, as sent texts are stored now. The
patterns are copied here: a migration must not change with the code.
"""

import re

from django.db import migrations

SENT_LINK = re.compile(r"\S*/p/[A-Za-z0-9_-]+")
TOKEN_IN_LINK = re.compile(r"(/p/)[A-Za-z0-9_-]+")
LINK_SLOT = "%LINK%"
WAITING = ("queued", "sending")


def forget_tokens(apps, schema_editor):
    Message = apps.get_model("reminders", "Message")
    rows = Message.objects.filter(body__contains="/p/").exclude(body__contains="/p/***")
    for message in rows.only("id", "body", "status").iterator(chunk_size=500):
        if message.status in WAITING:
            body = SENT_LINK.sub(LINK_SLOT, message.body, count=1)
        else:
            body = TOKEN_IN_LINK.sub(r"\1***", message.body)
        Message.objects.filter(pk=message.pk).update(body=body)


class Migration(migrations.Migration):
    dependencies = [("reminders", "0012_recall_booked_by_idx")]

    operations = [migrations.RunPython(forget_tokens, migrations.RunPython.noop)]
