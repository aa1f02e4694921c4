/**
 * The Lua scripts behind the Redis counter store. Each runs atomically inside Redis, so the
 * check and the take of a reservation happen in one step that no other replica can interleave.
 * Same arithmetic as memory-counter-store.ts; the shared contract suite holds them to it.
 *
 * Buckets are hashes { v: tokens at t, t: ms }; windows are integer strings (INCRBY is exact).
 * Replies carry numbers as strings: Redis truncates Lua numbers to integers.
 */

const COMMON = `
local now = tonumber(ARGV[1])
local function bucket_now(key, limit, period)
  local state = redis.call('HMGET', key, 'v', 't')
  if not state[1] then return limit end
  local elapsed = math.max(0, now - tonumber(state[2]))
  return math.min(limit, tonumber(state[1]) + elapsed * limit / period)
end
local function bucket_write(key, value, limit, period)
  redis.call('HSET', key, 'v', tostring(value), 't', tostring(now))
  redis.call('PEXPIRE', key, math.max(1, math.ceil((limit - value) * period / limit)))
end
local function window_write(key, delta, reset_at)
  local used = redis.call('INCRBY', key, delta)
  -- Relative to the caller's clock, not Redis's: the window's edge is the caller's notion.
  redis.call('PEXPIRE', key, math.max(1, reset_at - now + tonumber(ARGV[2])))
  return used
end
`;

/**
 * KEYS: counters. ARGV: now, grace ms, then per counter: kind ("b"|"w"), amount, limit,
 * period ms (bucket) or reset-at ms (window), soft ("1"|"0").
 * Reply: { ok 1|0, blocked index (1-based, 0 if none), wait ms ("-1": never), remaining... }.
 */
export const RESERVE_SCRIPT = `${COMMON}
local values, blocked, wait = {}, 0, 0
for i = 1, #KEYS do
  local b = 2 + (i - 1) * 5
  local kind, amount, limit, param = ARGV[b + 1], tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4])
  local w = 0
  if kind == 'b' then
    values[i] = bucket_now(KEYS[i], limit, param)
    if values[i] < amount then
      if amount > limit then w = -1 else w = math.max(1, math.ceil((amount - values[i]) * param / limit - 1e-6)) end
    end
  else
    values[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
    if ARGV[b + 5] ~= '1' and values[i] + amount > limit then
      if amount > limit then w = -1 else w = math.max(1, param - now) end
    end
  end
  if w ~= 0 and wait ~= -1 and (w == -1 or w > wait) then blocked, wait = i, w end
end
local reply = { 0, blocked, tostring(wait) }
if blocked == 0 then
  reply[1] = 1
  for i = 1, #KEYS do
    local b = 2 + (i - 1) * 5
    local kind, amount, limit, param = ARGV[b + 1], tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4])
    if kind == 'b' then
      values[i] = values[i] - amount
      bucket_write(KEYS[i], values[i], limit, param)
    else
      values[i] = window_write(KEYS[i], ARGV[b + 2], param)
    end
  end
end
for i = 1, #KEYS do
  local b = 2 + (i - 1) * 5
  if ARGV[b + 1] == 'b' then reply[3 + i] = tostring(values[i]) else reply[3 + i] = tostring(tonumber(ARGV[b + 3]) - values[i]) end
end
return reply
`;

/**
 * KEYS: counters. ARGV: now, grace ms, write ("1" adjust | "0" peek), then per counter: kind,
 * delta, limit, period-or-reset. Reply: remaining per counter, as strings.
 */
export const ADJUST_SCRIPT = `${COMMON}
local write = ARGV[3] == '1'
local reply = {}
for i = 1, #KEYS do
  local b = 3 + (i - 1) * 4
  local kind, delta, limit, param = ARGV[b + 1], tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4])
  if kind == 'b' then
    local value = bucket_now(KEYS[i], limit, param)
    if write then
      value = math.min(limit, value - delta)
      bucket_write(KEYS[i], value, limit, param)
    end
    reply[i] = tostring(value)
  else
    local used
    if write then used = window_write(KEYS[i], ARGV[b + 2], param) else used = tonumber(redis.call('GET', KEYS[i]) or '0') end
    reply[i] = tostring(limit - used)
  end
end
return reply
`;
