from rest_framework.routers import SimpleRouter

from .views import EmployerViewSet, InvitationViewSet, SponsorViewSet

router = SimpleRouter()
router.register("sponsors", SponsorViewSet, basename="sponsor")
router.register("employers", EmployerViewSet, basename="employer")
router.register("invitations", InvitationViewSet, basename="invitation")

urlpatterns = router.urls
