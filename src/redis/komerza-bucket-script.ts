/**
 * The Komerza bucket model of src/komerza/phase-bucket.ts as one Lua script, so every replica's decision is atomic
 * and uses one clock, Redis `TIME`. The state is one JSON string: candidate phases' T, the time they were
 * brought up to, and the recent sends. A missing state (Redis restarted; nothing is kept on disk) or one written
 * with other settings starts as "a full bucket spent just now": one lost burst, never a 429 (docs/shared-state.md §2).
 *
 * KEYS[1] the bucket state, KEYS[2] the hash of queue lengths per replica.
 * ARGV: op (take | drain | peek), wanted, capacity, refill, interval, window (D'), step, phases, replica id,
 *       its local queue length before this call, queue-length TTL ms, state TTL ms, phantom sends to add first
 *       (after running on the fallback), and a time in ms for tests ('' = Redis TIME).
 * Returns { granted, ms until the next send is allowed (0 when one is), tokens available, queued on all replicas }.
 */
export const KOMERZA_BUCKET_LUA = `
local op = ARGV[1]
local wanted = tonumber(ARGV[2])
local C = tonumber(ARGV[3])
local R = tonumber(ARGV[4])
local I = tonumber(ARGV[5])
local W = tonumber(ARGV[6])
local S = tonumber(ARGV[7])
local P = tonumber(ARGV[8])
local replica = ARGV[9]
local localQueued = tonumber(ARGV[10])
local queueTtl = tonumber(ARGV[11])
local stateTtl = tonumber(ARGV[12])
local phantom = tonumber(ARGV[13])
local now
if ARGV[14] ~= '' then
  now = tonumber(ARGV[14])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local cfg = C .. ':' .. R .. ':' .. I .. ':' .. W .. ':' .. S .. ':' .. P

local st = nil
local raw = redis.call('GET', KEYS[1])
if raw then
  local ok, decoded = pcall(cjson.decode, raw)
  -- Unreadable, or written with other settings: start over, conservatively.
  if ok and type(decoded) == 'table' and decoded.cfg == cfg and type(decoded.s) == 'table' and type(decoded.T) == 'table' then
    st = decoded
  end
end
if not st then
  local T = {}
  for j = 1, P do T[j] = 0 end
  st = { cfg = cfg, at = now, T = T, s = { { now, C } } }
end
if now < st.at then now = st.at end

local function sendsBetween(from, to)
  local n = 0
  for _, e in ipairs(st.s) do
    if e[1] >= from and e[1] <= to then n = n + e[2] end
  end
  return n
end

local function record(count)
  local last = st.s[#st.s]
  if last and last[1] == now then last[2] = last[2] + count else st.s[#st.s + 1] = { now, count } end
end

-- advance: every candidate refill in (st.at, now]
if now > st.at then
  local lastSend = -math.huge
  if #st.s > 0 then lastSend = st.s[#st.s][1] end
  for j = 0, P - 1 do
    local phase = j * S
    local last = math.floor((now - phase) / I)
    local T = st.T[j + 1]
    local k = math.floor((st.at - phase) / I) + 1
    while k <= last do
      local u = phase + k * I
      if u - W > lastSend then
        T = math.min(C, T + (last - k + 1) * R)
        break
      end
      T = math.min(T + R, C - sendsBetween(u - W, u))
      k = k + 1
    end
    st.T[j + 1] = T
  end
  st.at = now
  local kept = {}
  for _, e in ipairs(st.s) do
    if e[1] >= now - W then kept[#kept + 1] = e end
  end
  st.s = kept
end

if phantom > 0 then
  for j = 1, P do st.T[j] = math.min(st.T[j], C - phantom) end
  record(phantom)
end

local function available()
  local m = math.huge
  for j = 1, P do if st.T[j] < m then m = st.T[j] end end
  if m < 0 then m = 0 end
  return m
end

local granted = 0
if op == 'take' then
  granted = math.min(wanted, available())
  if granted > 0 then
    for j = 1, P do st.T[j] = st.T[j] - granted end
    record(granted)
  end
elseif op == 'drain' then
  for j = 1, P do st.T[j] = math.min(st.T[j], 0) end
end

-- the earliest time a send is allowed, if nothing else is sent
local at = now
for j = 0, P - 1 do
  local T = st.T[j + 1]
  if T < 1 then
    local phase = j * S
    local u = phase + (math.floor((now - phase) / I) + 1) * I
    while T < 1 do
      T = math.min(T + R, C - sendsBetween(u - W, u))
      if T < 1 then u = u + I end
    end
    if u > at then at = u end
  end
end

redis.call('SET', KEYS[1], cjson.encode(st), 'PX', stateTtl)

local queued = localQueued - granted
if queued > 0 then
  redis.call('HSET', KEYS[2], replica, queued .. ':' .. (now + queueTtl))
else
  redis.call('HDEL', KEYS[2], replica)
end
local total = 0
local fields = redis.call('HGETALL', KEYS[2])
for i = 1, #fields, 2 do
  local n, expires = string.match(fields[i + 1], '^(%d+):(%d+)$')
  if n and tonumber(expires) > now then
    total = total + tonumber(n)
  else
    redis.call('HDEL', KEYS[2], fields[i])
  end
end
redis.call('PEXPIRE', KEYS[2], queueTtl)

return { granted, math.ceil(at - now), available(), total }
`;
