"""/api/v1/monitoring/: devices, bindings, fences, latest positions, tracks, alerts and their lifecycle.

Thin: serializers parse, services write, selectors scope (404 outside the user's scope). A service's
ValidationError is answered as a 400 by zhengtu.api.errors.exception_handler: views don't catch it.
Coordinates are WGS-84 unless `?crs=gcj02` or `?crs=bd09` is given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from zhengtu.api.fields import named_choice_field
from zhengtu.audit.services import Actor
from zhengtu.orgs.models import Organisation
from zhengtu.supervisees.models import Supervisee
from zhengtu.supervisees.selectors import organisations_visible_to, supervisees_visible_to

from .alerts import acknowledge_alert, close_alert, handle_alert
from .coords import to_display
from .location_reads import record_location_read
from .models import (
    Alert,
    AlertKind,
    AlertStatus,
    Device,
    DeviceBinding,
    DeviceKind,
    Fence,
    FenceKind,
    FenceShape,
    Protocol,
)
from .selectors import (
    alerts_visible_to,
    bindings_visible_to,
    can_manage,
    can_see_locations,
    devices_visible_to,
    fence_editable_by,
    fences_visible_to,
    get_alert_for_user,
    get_binding_for_user,
    get_device_for_user,
    get_fence_for_user,
    get_monitored_supervisee,
    latest_states_visible_to,
)
from .services import (
    bind_device,
    create_fence,
    issue_osmand_secret,
    parse_period,
    register_device,
    unbind_device,
    update_device,
    update_fence,
    view_track,
)
from .tracks import BoundsError, parse_bounds

CRS_PARAMETER = OpenApiParameter(
    "crs", OpenApiTypes.STR, enum=["wgs84", "gcj02", "bd09"], description="Coordinate system of returned points"
)


def _crs(request: Request) -> str:
    value = request.query_params.get("crs", "wgs84")
    if value not in ("wgs84", "gcj02", "bd09"):
        raise ApiValidationError({"crs": _("Choose wgs84, gcj02 or bd09.")})
    return value


class LocationAccess(permissions.BasePermission):
    message = _("Location data is available only to corrections staff.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_see_locations(request.user)  # type: ignore[arg-type]


class ManageAccess(permissions.BasePermission):
    message = _("Managing monitoring devices and fences needs the electronic-monitoring permission.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_manage(request.user)  # type: ignore[arg-type]


class ScopedPrimaryKey(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A related object chosen by id, looked up only within what the user may see."""

    def __init__(self, scope: str, **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        user = self.context["request"].user
        if self.scope == "supervisees":
            return supervisees_visible_to(user)
        if self.scope == "organisations":
            return organisations_visible_to(user)
        return devices_visible_to(user)


# -- devices -----------------------------------------------------------------------------------


class DeviceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    organisation = ScopedPrimaryKey("organisations", error_messages={"does_not_exist": _("Unknown organisation.")})
    kind = named_choice_field("MonitoringDeviceKind", DeviceKind.choices)
    protocol = named_choice_field("MonitoringProtocol", Protocol.choices)
    last_seen_at = serializers.DateTimeField(source="state.last_seen_at", read_only=True, allow_null=True)
    battery_percent = serializers.IntegerField(source="state.battery_percent", read_only=True, allow_null=True)

    class Meta:
        model = Device
        fields = [
            "id",
            "identifier",
            "kind",
            "protocol",
            "sim_number",
            "model_name",
            "organisation",
            "is_active",
            "notes",
            "jt808_auth_optional",
            "last_seen_at",
            "battery_percent",
        ]
        read_only_fields = ["id"]
        extra_kwargs: dict[str, dict[str, Any]] = {"identifier": {"validators": []}}


class OsmandSecretSerializer(serializers.Serializer):  # type: ignore[type-arg]
    secret = serializers.CharField(read_only=True)


class DeviceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # type: ignore[type-arg]
    serializer_class = DeviceSerializer
    permission_classes = [permissions.IsAuthenticated, ManageAccess]
    http_method_names = ["get", "post", "patch"]

    def get_queryset(self) -> QuerySet[Device]:
        return devices_visible_to(self.request.user).select_related("state").order_by("identifier")  # type: ignore[arg-type]

    def get_object(self) -> Device:
        return get_device_for_user(self.request.user, self.kwargs["pk"])  # type: ignore[arg-type]

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        data.pop("is_active", None)
        data.pop("jt808_auth_optional", None)  # relaxed only by an explicit, audited change
        serializer.instance = register_device(actor=Actor.from_request(self.request), **data)

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        fields = {
            k: v
            for k, v in serializer.validated_data.items()
            if k in ("kind", "sim_number", "model_name", "notes", "is_active", "jt808_auth_optional")
        }
        device = serializer.instance
        assert isinstance(device, Device)
        serializer.instance = update_device(actor=Actor.from_request(self.request), device=device, **fields)

    @extend_schema(request=None, responses=OsmandSecretSerializer)
    @action(detail=True, methods=["post"], url_path="osmand-secret")
    def osmand_secret(self, request: Request, pk: str | None = None) -> Response:
        """A new secret for an OsmAnd phone, shown this once; its reports must carry it from now on."""
        device = self.get_object()
        try:
            secret = issue_osmand_secret(actor=Actor.from_request(request), device=device)
        except DjangoValidationError as error:
            raise ApiValidationError(error.message_dict) from None
        return Response({"secret": secret})


# -- bindings ----------------------------------------------------------------------------------


class BindingSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    device = ScopedPrimaryKey("devices", error_messages={"does_not_exist": _("Unknown device.")})
    supervisee = ScopedPrimaryKey("supervisees", error_messages={"does_not_exist": _("Unknown supervisee.")})

    class Meta:
        model = DeviceBinding
        fields = [
            "id",
            "device",
            "supervisee",
            "starts_at",
            "ends_at",
            "approval_reference",
            "unbound_at",
            "unbind_reason",
        ]
        read_only_fields = ["id", "unbound_at", "unbind_reason"]


class UnbindSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=200)


class BindingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):  # type: ignore[type-arg]
    serializer_class = BindingSerializer
    permission_classes = [permissions.IsAuthenticated, ManageAccess]

    def get_queryset(self) -> QuerySet[DeviceBinding]:
        return bindings_visible_to(self.request.user).order_by("-starts_at")  # type: ignore[arg-type]

    def get_object(self) -> DeviceBinding:
        return get_binding_for_user(self.request.user, self.kwargs["pk"])  # type: ignore[arg-type]

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = bind_device(actor=Actor.from_request(self.request), **serializer.validated_data)

    @extend_schema(request=UnbindSerializer, responses=BindingSerializer)
    @action(detail=True, methods=["post"])
    def unbind(self, request: Request, pk: str) -> Response:
        binding = self.get_object()
        payload = UnbindSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        binding = unbind_device(
            actor=Actor.from_request(request), binding=binding, reason=payload.validated_data["reason"]
        )
        return Response(BindingSerializer(binding, context={"request": request}).data)


# -- fences ------------------------------------------------------------------------------------


class FenceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    organisation = ScopedPrimaryKey("organisations", error_messages={"does_not_exist": _("Unknown organisation.")})
    supervisee = ScopedPrimaryKey(
        "supervisees", required=False, allow_null=True, error_messages={"does_not_exist": _("Unknown supervisee.")}
    )
    kind = named_choice_field("MonitoringFenceKind", FenceKind.choices)
    shape = named_choice_field("MonitoringFenceShape", FenceShape.choices)
    geometry = serializers.JSONField(required=False, allow_null=True, help_text="GeoJSON Polygon/MultiPolygon, WGS-84")

    class Meta:
        model = Fence
        fields = [
            "id",
            "name",
            "kind",
            "shape",
            "geometry",
            "center_latitude",
            "center_longitude",
            "radius_m",
            "organisation",
            "supervisee",
            "active_from",
            "active_until",
            "weekdays",
            "is_active",
        ]
        read_only_fields = ["id"]


class FenceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # type: ignore[type-arg]
    serializer_class = FenceSerializer
    http_method_names = ["get", "post", "patch"]

    def get_permissions(self) -> list[permissions.BasePermission]:
        if self.action in ("create", "partial_update", "update"):
            return [permissions.IsAuthenticated(), ManageAccess()]
        return [permissions.IsAuthenticated(), LocationAccess()]

    def get_queryset(self) -> QuerySet[Fence]:
        return fences_visible_to(self.request.user).order_by("name")  # type: ignore[arg-type]

    def get_object(self) -> Fence:
        fence = get_fence_for_user(self.request.user, self.kwargs["pk"])  # type: ignore[arg-type]
        if self.request.method not in permissions.SAFE_METHODS and not fence_editable_by(self.request.user, fence):  # type: ignore[arg-type]
            raise NotFound
        return fence

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        organisation: Organisation = data.pop("organisation")
        data.pop("is_active", None)
        data.pop("jt808_auth_optional", None)  # relaxed only by an explicit, audited change
        serializer.instance = create_fence(actor=Actor.from_request(self.request), organisation=organisation, **data)

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        fence = serializer.instance
        assert isinstance(fence, Fence)
        serializer.instance = update_fence(
            actor=Actor.from_request(self.request), fence=fence, **serializer.validated_data
        )


# -- positions and tracks ----------------------------------------------------------------------


class LatestPositionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    supervisee = serializers.IntegerField()
    supervisee_name = serializers.CharField()
    device = serializers.IntegerField()
    device_kind = named_choice_field("MonitoringDeviceKind", DeviceKind.choices)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    fix_time = serializers.DateTimeField(allow_null=True)
    last_seen_at = serializers.DateTimeField(allow_null=True)
    battery_percent = serializers.IntegerField(allow_null=True)


class TrackSerializer(serializers.Serializer):  # type: ignore[type-arg]
    fixes = serializers.IntegerField(help_text="Fixes stored in the period")
    simplified = serializers.BooleanField()
    crs = serializers.CharField()
    points = serializers.ListField(
        child=serializers.ListField(), required=False, help_text="[latitude, longitude, time (ISO 8601), speed km/h]"
    )
    zoom = serializers.FloatField(required=False)
    count = serializers.IntegerField(required=False, help_text="encoding=polyline: points encoded")
    polyline = serializers.CharField(required=False, help_text="encoding=polyline: encoded polyline, 6 decimals")
    start = serializers.DateTimeField(required=False, help_text="encoding=polyline: time of the first point")
    times = serializers.CharField(required=False, help_text="encoding=polyline: encoded seconds since the point before")
    speeds = serializers.CharField(required=False, help_text="encoding=polyline: encoded speeds, km/h")
    breaks = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="With zoom: indices of the points that start a new piece of line, not joined to the point"
        " before (the track left the bounds, or the device was silent longer than TRACK_GAP_MINUTES)",
    )


class PositionViewSet(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated, LocationAccess]

    @extend_schema(parameters=[CRS_PARAMETER], responses=LatestPositionSerializer(many=True))
    @action(detail=False, methods=["get"])
    def latest(self, request: Request) -> Response:
        crs = _crs(request)
        rows = []
        states = list(latest_states_visible_to(request.user, at=timezone.now()))  # type: ignore[arg-type]
        for binding, state in states:
            lat = lon = None
            if state is not None and state.latitude is not None and state.longitude is not None:
                lat, lon = to_display(state.latitude, state.longitude, crs)
            rows.append(
                {
                    "supervisee": binding.supervisee_id,
                    "supervisee_name": binding.supervisee.name,
                    "device": binding.device_id,
                    "device_kind": binding.device.kind,
                    "latitude": lat,
                    "longitude": lon,
                    "fix_time": state.fix_time if state else None,
                    "last_seen_at": state.last_seen_at if state else None,
                    "battery_percent": state.battery_percent if state else None,
                }
            )
        record_location_read(
            request, what="latest_positions", supervisee_ids=[binding.supervisee_id for binding, _state in states]
        )
        return Response(LatestPositionSerializer(rows, many=True).data)


class TrackViewSet(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated, LocationAccess]

    @extend_schema(
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Supervisee id"),
            OpenApiParameter("start", OpenApiTypes.DATETIME, description="Local date-time (Asia/Shanghai) or ISO 8601"),
            OpenApiParameter("end", OpenApiTypes.DATETIME),
            CRS_PARAMETER,
            OpenApiParameter(
                "zoom", OpenApiTypes.FLOAT, description="Map zoom (0–22): the track reduced to what it can show"
            ),
            OpenApiParameter(
                "encoding", OpenApiTypes.STR, enum=["rows", "polyline"], description="polyline: encoded, compact"
            ),
            OpenApiParameter(
                "resolution", OpenApiTypes.STR, enum=["full"], description="Every fix (audited as an export)"
            ),
            OpenApiParameter(
                "bounds",
                OpenApiTypes.STR,
                description="With zoom: south,west,north,east in crs. Only the fixes inside, in time order;"
                " `breaks` lists the points where the line starts again after leaving them",
            ),
        ],
        responses=TrackSerializer,
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        supervisee: Supervisee = get_monitored_supervisee(request.user, pk)  # type: ignore[arg-type]
        start, end = parse_period(
            request.query_params.get("start", ""), request.query_params.get("end", ""), now=timezone.now()
        )
        zoom: float | None = None
        if request.query_params.get("zoom"):
            try:
                zoom = float(request.query_params["zoom"])
            except ValueError:
                zoom = -1
            if not 0 <= zoom <= 22:
                raise ApiValidationError({"zoom": [_("The zoom level is a number from 0 to 22.")]})
        encoding = "polyline" if request.query_params.get("encoding") == "polyline" else "rows"
        crs = _crs(request)
        try:
            bounds = parse_bounds(request.query_params.get("bounds", ""), crs=crs)
        except BoundsError as problem:
            message = (
                _("The map bounds are four numbers: south, west, north, east.")
                if str(problem) == "numbers"
                else _(
                    "The map bounds are not valid: the south edge lies north of the north edge or the west edge east of the east edge."
                )
            )
            raise ApiValidationError({"bounds": [message]}) from None
        if bounds is not None and zoom is None:
            raise ApiValidationError({"bounds": [_("Map bounds are given with a zoom level.")]})
        payload = view_track(
            actor=Actor.from_request(request),
            supervisee=supervisee,
            start=start,
            end=end,
            crs=crs,
            zoom=zoom,
            encoding=encoding,
            full=request.query_params.get("resolution") == "full",
            bounds=bounds,
        )
        return Response(payload)


# -- alerts ------------------------------------------------------------------------------------


class AlertSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    supervisee_name = serializers.CharField(source="supervisee.name", read_only=True)
    kind = named_choice_field("MonitoringAlertKind", AlertKind.choices, read_only=True)
    status = named_choice_field("MonitoringAlertStatus", AlertStatus.choices, read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "status",
            "supervisee",
            "supervisee_name",
            "device",
            "fence",
            "latitude",
            "longitude",
            "detail",
            "raised_at",
            "cleared_at",
            "acknowledged_at",
            "handled_at",
            "handling_notes",
            "actions_taken",
            "closed_at",
            "escalated_at",
        ]
        read_only_fields = fields


class NoteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class HandleSerializer(serializers.Serializer):  # type: ignore[type-arg]
    handling_notes = serializers.CharField()
    actions_taken = serializers.CharField(required=False, allow_blank=True)


class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = AlertSerializer
    permission_classes = [permissions.IsAuthenticated, LocationAccess]

    def get_queryset(self) -> QuerySet[Alert]:
        alerts = alerts_visible_to(self.request.user).select_related("supervisee").order_by("-raised_at")  # type: ignore[arg-type]
        status_filter = self.request.query_params.get("status")
        if status_filter in AlertStatus.values:
            alerts = alerts.filter(status=status_filter)
        return alerts

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        alert = self.get_object()
        record_location_read(request, what="alert", target=alert.supervisee, alert=alert.pk)
        return Response(self.get_serializer(alert).data)

    def get_object(self) -> Alert:
        return get_alert_for_user(self.request.user, self.kwargs["pk"])  # type: ignore[arg-type]

    def _respond(self, alert: Alert) -> Response:
        return Response(AlertSerializer(alert, context={"request": self.request}).data, status=status.HTTP_200_OK)

    def _transition_with_note(self, request: Request, transition: Callable[..., Alert]) -> Response:
        alert = self.get_object()
        payload = NoteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        note = payload.validated_data.get("note", "")
        return self._respond(transition(actor=Actor.from_request(request), alert=alert, note=note))

    @extend_schema(request=NoteSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        return self._transition_with_note(request, acknowledge_alert)

    @extend_schema(request=HandleSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def handle(self, request: Request, pk: str) -> Response:
        alert = self.get_object()
        payload = HandleSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        handled = handle_alert(
            actor=Actor.from_request(request),
            alert=alert,
            notes=payload.validated_data["handling_notes"],
            actions_taken=payload.validated_data.get("actions_taken", ""),
        )
        return self._respond(handled)

    @extend_schema(request=NoteSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        return self._transition_with_note(request, close_alert)
