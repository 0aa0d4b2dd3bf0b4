/**
 * One atomic Lua script per algorithm, mirroring assembly/ratelimit/algorithms.ts
 * (same f64 operations in the same order; Redis Lua numbers are doubles).
 *
 * KEYS[1] = the key. ARGV = limit, periodMs, cost, nowMs, force ("1" consumes even on a
 * deny: sync mode reports requests already admitted). State is one string "t cur prev"
 * written with %.17g (doubles round-trip exactly) and a PX expiry at the moment the state
 * stops carrying information, so Redis memory stays bounded by the active keys.
 * Nothing is written when nothing was consumed. Reply: {allowed, remaining, resetMs,
 * retryAfterMs (-1 = never), t, cur, prev}, all as strings (Lua numbers would be
 * truncated to integers on the way out).
 */
const PRELUDE = `
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local force = ARGV[5] == '1'
local TOL = 1e-6
local function f(x) return string.format('%.17g', x) end
local t, c, p = 0, 0, 0
local raw = redis.call('GET', KEYS[1])
if raw then
  local a, b, d = string.match(raw, '^(%S+) (%S+) (%S+)$')
  if a then t, c, p = tonumber(a), tonumber(b), tonumber(d) end
end
`;

export const GCRA_SCRIPT = `${PRELUDE}
local T = period / limit
local tat = math.max(t, now)
local nxt = tat + cost * T
local ahead = nxt - now
if ahead <= period + TOL then
  redis.call('SET', KEYS[1], f(nxt) .. ' 0 0', 'PX', math.max(1, math.ceil(ahead)))
  return {'1', f(math.max(0, math.floor((period - ahead) / T + TOL))), f(ahead), '0', f(nxt), '0', '0'}
end
local held = tat - now
local retry = ahead - period
if cost > limit then retry = -1 end
local st = t
if force then
  st = nxt
  redis.call('SET', KEYS[1], f(nxt) .. ' 0 0', 'PX', math.max(1, math.ceil(ahead)))
end
return {'0', f(math.max(0, math.floor((period - held) / T + TOL))), f(held), f(retry), f(st), '0', '0'}
`;

export const FIXED_WINDOW_SCRIPT = `${PRELUDE}
local start = math.floor(now / period) * period
local cur = 0
if t == start then cur = c end
local reset = start + period - now
local allowed = cur + cost <= limit + TOL
local newCur = cur
if allowed or force then newCur = cur + cost end
if newCur ~= cur then
  redis.call('SET', KEYS[1], f(start) .. ' ' .. f(newCur) .. ' 0', 'PX', math.max(1, math.ceil(reset)))
end
local retry = 0
if not allowed then
  if cost > limit then retry = -1 else retry = reset end
end
return {allowed and '1' or '0', f(math.max(0, math.floor(limit - newCur + TOL))), f(reset), f(retry), f(start), f(newCur), '0'}
`;

export const SLIDING_WINDOW_SCRIPT = `${PRELUDE}
local start = math.floor(now / period) * period
local cur, prev = 0, 0
if t == start then cur = c; prev = p elseif t == start - period then prev = c end
local weight = 1 - (now - start) / period
local estimate = prev * weight + cur
local reset = start + period - now
local allowed = estimate + cost <= limit + TOL
local retry = 0
local remaining
if allowed then
  remaining = math.max(0, math.floor(limit - estimate - cost + TOL))
else
  remaining = math.max(0, math.floor(limit - estimate + TOL))
  if cost > limit then retry = -1
  elseif cur + cost <= limit then retry = math.max(0, start + period * (1 - (limit - cur - cost) / prev) - now)
  else retry = math.max(0, start + period + period * (1 - (limit - cost) / cur) - now) end
end
local newCur = cur
if allowed or force then newCur = cur + cost end
if newCur ~= cur then
  redis.call('SET', KEYS[1], f(start) .. ' ' .. f(newCur) .. ' ' .. f(prev), 'PX', math.max(1, math.ceil(start + 2 * period - now)))
end
return {allowed and '1' or '0', f(remaining), f(reset), f(retry), f(start), f(newCur), f(prev)}
`;
