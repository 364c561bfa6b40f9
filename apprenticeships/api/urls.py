from rest_framework.routers import SimpleRouter

from .views import OccupationViewSet

router = SimpleRouter()
router.register("occupations", OccupationViewSet, basename="occupation")

urlpatterns = router.urls
