"""Per-provider rate limit: a token bucket kept in Redis, shared by every worker."""

from __future__ import annotations

import time

import redis

_TAKE = """
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 60)
return tostring(wait)
"""


class TokenBucket:
    """``take(provider)`` -> 0 if a token was taken, else the seconds until one is due."""

    def __init__(self, redis_url: str, limits: dict[str, tuple[float, float]]):
        self.limits = limits
        self._client = redis.Redis.from_url(redis_url) if limits else None
        self._script = self._client.register_script(_TAKE) if self._client else None

    def take(self, provider: str, now: float | None = None) -> float:
        limit = self.limits.get(provider.replace("-", "_"))
        if limit is None or self._script is None:
            return 0.0
        rate, capacity = limit
        now = time.time() if now is None else now
        wait = float(
            self._script(keys=[f"notifications:bucket:{provider}"], args=[rate, capacity, now])
        )
        return wait
