from rest_framework.routers import SimpleRouter

from .api import SuperviseeViewSet

router = SimpleRouter()
router.register("supervisees", SuperviseeViewSet, basename="supervisee")
urlpatterns = router.urls
