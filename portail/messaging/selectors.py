from portail.messaging.models import Message


def inbox(user):
    return Message.objects.filter(recipient=user)


def unread_count(user) -> int:
    return Message.objects.filter(recipient=user, read_at=None).count()
