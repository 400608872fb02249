"""Input and output of the authorizations API (docs/rules.md#authorizations)."""

from typing import Any

from rest_framework import serializers

from bookings.models import Authorization, Course


class AuthorizationSerializer(serializers.ModelSerializer[Authorization]):
    """An authorization with what it has used: booked and given injections both count."""

    sessions_used = serializers.SerializerMethodField()
    units_used = serializers.SerializerMethodField()

    class Meta:
        model = Authorization
        fields = [
            "id",
            "course",
            "payer",
            "number",
            "approved_units",
            "approved_sessions",
            "valid_from",
            "valid_until",
            "notes",
            "sessions_used",
            "units_used",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_sessions_used(self, obj: Authorization) -> int:
        return int(self.context["usages"][obj.pk].sessions)

    def get_units_used(self, obj: Authorization) -> int:
        return int(self.context["usages"][obj.pk].units)


class AuthorizationChangeSerializer(serializers.Serializer[Any]):
    """Field types only; the rules (positive, in order, not below what is used) are the
    service's, so the page and the API refuse alike."""

    payer = serializers.CharField(max_length=120)
    number = serializers.CharField(max_length=60)
    approved_units = serializers.IntegerField()
    approved_sessions = serializers.IntegerField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AuthorizationCreateSerializer(AuthorizationChangeSerializer):
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
