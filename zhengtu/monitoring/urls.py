from django.urls import path

from .views import alerts, devices, fences, map

app_name = "monitoring"
urlpatterns = [
    path("", map.command_map, name="map"),
    path("map/data/", map.command_map_data, name="map_data"),
    path("live/", map.live_events, name="live"),
    path("track/<int:supervisee_pk>/", map.track, name="track"),
    path("alerts/", alerts.alert_list, name="alerts"),
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/<str:action>/", alerts.alert_action, name="alert_action"),
    path("devices/", devices.device_list, name="devices"),
    path("devices/new/", devices.device_create, name="device_create"),
    path("devices/unknown/", devices.unknown_devices, name="unknown_devices"),
    path("devices/<int:pk>/", devices.device_detail, name="device_detail"),
    path("bindings/<int:pk>/unbind/", devices.binding_unbind, name="binding_unbind"),
    path("fences/", fences.fence_list, name="fences"),
    path("fences/new/", fences.fence_create, name="fence_create"),
    path("fences/<int:pk>/", fences.fence_detail, name="fence_detail"),
    path("fences/<int:pk>/toggle/", fences.fence_toggle, name="fence_toggle"),
]
