"""/api/v1/monitoring/…: names are prefixed "monitoring-" (the API urls share one namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("devices", api.DeviceViewSet, basename="monitoring-device")
router.register("bindings", api.BindingViewSet, basename="monitoring-binding")
router.register("fences", api.FenceViewSet, basename="monitoring-fence")
router.register("positions", api.PositionViewSet, basename="monitoring-position")
router.register("tracks", api.TrackViewSet, basename="monitoring-track")
router.register("alerts", api.AlertViewSet, basename="monitoring-alert")

urlpatterns = [path("monitoring/", include(router.urls))]
