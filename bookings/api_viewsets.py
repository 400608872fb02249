"""The shapes of the API's resources: what each may do, said once.

Patients and authorizations are listed, read, created and changed (never deleted: the
record of care stays); lots are listed, read and received, their stock then follows the
injections given.
"""

from rest_framework import mixins, viewsets


class ListCreateUpdateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    http_method_names = ["get", "post", "patch", "head", "options"]


class ListCreateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    http_method_names = ["get", "post", "head", "options"]
