-- wrk script for make bench: GET /api/v1/search?q=... with the queries of a
-- file, one a line, taken in turn (each thread starts at a different one).
--     wrk ... -s bench/search.lua URL -- QUERIES_FILE
local queries = {}
local i = 0

local function escape(s)
  return (s:gsub("[^%w%-_.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then queries[#queries + 1] = escape(line) end
  end
  i = math.random(#queries)
end

function request()
  i = i % #queries + 1
  return wrk.format("GET", "/api/v1/search?q=" .. queries[i])
end
