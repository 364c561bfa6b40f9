"""API rate limits that cost the same at any rate and count right across processes.

DRF's own throttles keep every request time of the last window in one cache entry, read and
written whole on each request: the cost grows with the rate (a client at 200 requests a second
rewrites a list of 12,000 times a second), and two processes writing it at once lose each
other's requests. These count in a window that opens with a client's first request, with the
cache's atomic increment (Redis INCR in production): two round trips, whatever the rate.
"""

from typing import TYPE_CHECKING

from rest_framework import throttling

if TYPE_CHECKING:
    # What the mixin is mixed into, for the type checker; at run time a plain mixin.
    _ThrottleBase = throttling.SimpleRateThrottle
else:
    _ThrottleBase = object


class CountingWindowMixin(_ThrottleBase):
    # Parsed from `rate` by SimpleRateThrottle.__init__ (the stubs do not declare them); read
    # only once `rate` is known to be set.
    num_requests: int
    duration: int

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        try:
            count = self.cache.incr(self.key)
        except ValueError:  # no window open: this request opens one
            if self.cache.add(self.key, 1, self.duration):
                self.cache.set(f"{self.key}:ends", self.now + self.duration, self.duration)
                count = 1
            else:  # another process opened it first
                count = self.cache.incr(self.key)
        return count <= self.num_requests

    def wait(self):
        """Seconds until the window closes (Retry-After)."""
        ends = self.cache.get(f"{self.key}:ends")
        return max(0.0, ends - self.now) if ends is not None else float(self.duration)


class AnonRateThrottle(CountingWindowMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(CountingWindowMixin, throttling.UserRateThrottle):
    pass
