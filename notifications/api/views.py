from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.tenancy import Scope, TenantViewSet

from .. import selectors, services
from .serializers import NotificationSerializer, PreferenceSerializer, ReadAllSerializer


class UnreadFilter(serializers.Serializer):
    unread = serializers.BooleanField(required=False, allow_null=True, default=None)


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The caller's own notifications, newest first (`?unread=true`)."""

    serializer_class = NotificationSerializer
    filterset_fields = ["event"]
    extra_query_parameters = ["unread"]  # read by scoped_queryset (UnreadFilter)
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    # What the list shows: its page loads nothing else (not the e-mail's HTML or delivery state).
    listed_fields = [
        "event",
        "title",
        "body",
        "link",
        "subject_type__model",
        "subject_id",
        "created_at",
        "read_at",
        "email_state",
    ]

    def scoped_queryset(self, scope: Scope):
        queryset = selectors.notification_list(user_id=self.request.user.pk).select_related("subject_type")
        if self.action == "list":
            filters = UnreadFilter(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            unread = filters.validated_data["unread"]
            if unread is not None:
                queryset = queryset.filter(read_at__isnull=unread)
            queryset = queryset.only(*self.listed_fields)
        return queryset

    @extend_schema(parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of the caller's notifications read."""
        notification = services.notification_mark_read(notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=ReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every unread notification of the caller read; answers how many were."""
        return Response({"marked_read": services.notification_mark_all_read(user=request.user)})


class NotificationPreferencesView(APIView):
    """Per event, whether to tell the caller in the portal and by e-mail. Defaults are on."""

    @extend_schema(responses=PreferenceSerializer(many=True))
    def get(self, request):
        """The caller's preferences: per event, whether to tell them in the portal and by e-mail (on unless they turned it off)."""
        return Response(PreferenceSerializer(selectors.preferences_of(user=request.user), many=True).data)

    @extend_schema(request=PreferenceSerializer(many=True), responses=PreferenceSerializer(many=True))
    def put(self, request):
        """Replace the caller's preferences with those sent, per event: `in_app` and `email`."""
        data = PreferenceSerializer(data=request.data, many=True)
        data.is_valid(raise_exception=True)
        services.preferences_set(user=request.user, preferences=data.validated_data)
        return Response(PreferenceSerializer(selectors.preferences_of(user=request.user), many=True).data)
