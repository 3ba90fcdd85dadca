-- wrk script for make bench: POST /api/v1/topics/{id}/posts, a short reply
-- to each of the given topics in turn (the Authorization and Content-Type
-- headers come from wrk's -H).
--     wrk ... -s bench/post.lua URL -- ID,ID,...
local topics = {}
local n = 0

function init(args)
  for id in string.gmatch(args[1], "%d+") do topics[#topics + 1] = id end
  n = math.random(1000)
end

function request()
  n = n + 1
  local body = string.format('{"body":"Benchmark reply %d: we tried the exit ticket again, '
    .. 'and this time the pupils spotted the pattern in the sequence much sooner."}', n)
  return wrk.format("POST", "/api/v1/topics/" .. topics[n % #topics + 1] .. "/posts", nil, body)
end
