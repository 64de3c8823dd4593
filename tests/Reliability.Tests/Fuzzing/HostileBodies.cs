using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpinePolicy.Reliability.Tests.Fuzzing;

/// <summary>
/// Turns valid request bodies into hostile ones, deterministically from a seed: truncation, byte
/// noise, wrong JSON types, removed and duplicated keys, deep nesting, huge arrays, FHIR resources of
/// the wrong type in every resource slot, references to nothing, invalid UTF-8, XML and other
/// content types, extreme strings and numbers, and 10 MB bodies.
/// </summary>
public sealed class HostileBodies(IReadOnlyList<byte[]> seeds, int seed, string jsonContentType)
{
    private static readonly string[] ResourceTypes =
    [
        "Patient", "Coverage", "ServiceRequest", "Claim", "ClaimResponse", "Bundle", "Parameters", "QuestionnaireResponse",
        "Questionnaire", "OperationOutcome", "Organization", "Practitioner", "Appointment", "Encounter", "Basic", "Binary",
        "NoSuchResource", "patient", "",
    ];

    private static readonly string[] HostileStrings =
    [
        "", " ", "null", "\u0000", "\u0000\u0001\u001f", "'; DROP TABLE resources; --", "../../../../etc/passwd", "%00", "\uFEFF",
        "\uD83D\uDE00\u202E\u200B", "Patient/", "Patient/../Claim/1", "urn:uuid:", "#", "http://", "javascript:alert(1)",
        "<script>alert(1)</script>", "${jndi:ldap://x}", "{{7*7}}", "1e309", "NaN", "-0", "0x7fffffff", "9999-99-99", "2026-02-30",
        "T", "true", "[]", "{}",
    ];

    private static readonly JsonNode?[] WrongTypes =
    [
        null, JsonValue.Create(true), JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(1.5e308),
        JsonValue.Create("a string"), new JsonArray(), new JsonObject(), new JsonArray(JsonValue.Create(1), JsonValue.Create("x"), null),
    ];

    private static readonly byte[] BillionLaughs = Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">" +
        string.Concat(Enumerable.Range(1, 9).Select(i => $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat(i == 1 ? "&lol;" : $"&lol{i - 1};", 10))}\">")) +
        "]><Patient xmlns=\"http://hl7.org/fhir\"><id value=\"&lol9;\"/></Patient>");

    private readonly Random _random = new(seed);

    /// <summary>The systematic part: each resource slot of each seed holds a resource of each other type in turn.</summary>
    public IEnumerable<HostileInput> WrongTypeInEverySlot(int maxPerSeed)
    {
        foreach (var (bytes, index) in seeds.Select((b, i) => (b, i)))
        {
            var slots = CountResourceSlots(bytes);
            var made = 0;
            for (var slot = 0; slot < slots && made < maxPerSeed; slot++)
            {
                foreach (var type in ResourceTypes.Take(6))
                {
                    var node = JsonNode.Parse(bytes)!;
                    var target = ResourceSlots(node).ElementAt(slot);
                    if (target["resourceType"]?.GetValue<string>() == type)
                    {
                        continue;
                    }

                    Replace(target, MakeResource(type));
                    made++;
                    yield return Json($"wrong-type-slot[seed {index}, slot {slot}, {type}]", node);
                }
            }
        }
    }

    public IEnumerable<HostileInput> Generate(int count)
    {
        const int strategies = 15;
        for (var i = 0; i < count; i++)
        {
            var seedBody = seeds[_random.Next(seeds.Count)];
            yield return (i % strategies) switch
            {
                0 => Truncate(seedBody),
                1 => ByteNoise(seedBody),
                2 => Mutate(seedBody, "wrong-json-type", (node, parent) => Replace(node, WrongTypes[_random.Next(WrongTypes.Length)]?.DeepClone())),
                3 => Mutate(seedBody, "removed-property", (node, parent) => Remove(node)),
                4 => DuplicateKeys(seedBody),
                5 => DeepNesting(),
                6 => HugeArray(seedBody),
                7 => WrongResourceType(seedBody),
                8 => DanglingReferences(seedBody),
                9 => InvalidUtf8(seedBody),
                10 => WrongContentType(seedBody),
                11 => Mutate(seedBody, "hostile-string", (node, parent) => Replace(node, JsonValue.Create(HostileString()))),
                12 => Mutate(seedBody, "extreme-number", (node, parent) => Replace(node, JsonValue.Create(ExtremeNumber()))),
                13 => SpecialDocument(),
                _ => i % (strategies * 40) == 14 ? new HostileInput("10MB-body", TenMegabytesJson(), jsonContentType) : RenameResourceType(seedBody),
            };
        }
    }

    private HostileInput Truncate(byte[] body) => new("truncated", body[.._random.Next(body.Length)], jsonContentType);

    private HostileInput ByteNoise(byte[] body)
    {
        var bytes = new List<byte>(body);
        var edits = 1 + _random.Next(8);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = _random.Next(bytes.Count);
            switch (_random.Next(3))
            {
                case 0:
                    bytes[at] = (byte)_random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, "{}[]\",:\\0-e"u8[_random.Next(11)]);
                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }
        }

        return new HostileInput("byte-noise", [.. bytes], jsonContentType);
    }

    private HostileInput Mutate(byte[] body, string strategy, Action<JsonNode, JsonNode?> mutation)
    {
        var root = JsonNode.Parse(body)!;
        var nodes = AllNodes(root).ToList();
        var (node, parent) = nodes[_random.Next(nodes.Count)];
        if (parent is null)
        {
            // The root itself: replace the whole document.
            return new HostileInput(strategy, Encoding.UTF8.GetBytes("[]"), jsonContentType);
        }

        mutation(node, parent);
        return Json(strategy, root);
    }

    private HostileInput DuplicateKeys(byte[] body)
    {
        // Duplicate keys cannot be expressed in a JsonNode: splice them into the text after an
        // opening brace, with a conflicting value.
        var text = Encoding.UTF8.GetString(body);
        var braces = Enumerable.Range(0, text.Length).Where(i => text[i] == '{').ToList();
        var at = braces[_random.Next(braces.Count)] + 1;
        var key = new[] { "resourceType", "id", "hook", "context", "entry", "parameter", "reference", "status" }[_random.Next(8)];
        var duplicate = $"\"{key}\":\"Patient\",\"{key}\":[1,2],";
        return new HostileInput($"duplicate-key:{key}", Encoding.UTF8.GetBytes(text.Insert(at, duplicate)), jsonContentType);
    }

    private HostileInput DeepNesting()
    {
        var depth = new[] { 65, 200, 1_000, 10_000, 100_000 }[_random.Next(5)];
        var builder = new StringBuilder(depth * 16);
        var asObjects = _random.Next(2) == 0;
        for (var d = 0; d < depth; d++)
        {
            builder.Append(asObjects ? "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"p\",\"part\":[" : "[");
        }

        for (var d = 0; d < depth; d++)
        {
            builder.Append(asObjects ? "]}]}" : "]");
        }

        return new HostileInput($"deep-nesting:{depth}", Encoding.UTF8.GetBytes(builder.ToString()), jsonContentType);
    }

    private HostileInput HugeArray(byte[] body)
    {
        var root = JsonNode.Parse(body)!;
        var arrays = AllNodes(root).Where(n => n.Node is JsonArray).Select(n => (JsonArray)n.Node).ToList();
        var length = new[] { 1_000, 20_000, 150_000 }[_random.Next(3)];
        if (arrays.Count == 0)
        {
            var big = new JsonArray();
            for (var i = 0; i < length; i++)
            {
                big.Add(i);
            }

            return Json($"huge-array:{length}", big);
        }

        var array = arrays[_random.Next(arrays.Count)];
        var template = array.Count > 0 ? array[0] : JsonValue.Create(1);
        var templateLength = Math.Max(1, template?.ToJsonString().Length ?? 4);
        var fits = Math.Min(length, 3_000_000 / templateLength);
        for (var i = 0; i < fits; i++)
        {
            array.Add(template?.DeepClone());
        }

        return Json($"huge-array:{array.Count}", root);
    }

    private HostileInput WrongResourceType(byte[] body)
    {
        var root = JsonNode.Parse(body)!;
        var slots = ResourceSlots(root).ToList();
        if (slots.Count == 0)
        {
            return Json("wrong-type-root", MakeResource(ResourceTypes[_random.Next(ResourceTypes.Length)]));
        }

        var slot = slots[_random.Next(slots.Count)];
        var type = ResourceTypes[_random.Next(ResourceTypes.Length)];
        if (ReferenceEquals(slot, root))
        {
            return Json($"wrong-type-root:{type}", MakeResource(type));
        }

        Replace(slot, MakeResource(type));
        return Json($"wrong-type-slot:{type}", root);
    }

    private HostileInput DanglingReferences(byte[] body)
    {
        var root = JsonNode.Parse(body)!;
        var target = new[] { "Patient/does-not-exist", "urn:uuid:00000000-0000-0000-0000-000000000000", "", "#missing", "http://elsewhere.example/fhir/Coverage/1", "Coverage", "Claim/1/_history/x" }[_random.Next(7)];
        foreach (var (node, parent) in AllNodes(root).ToList())
        {
            if (parent is JsonObject owner && node is JsonValue && node.GetPropertyName() is "reference" or "patientId" or "focus" or "questionnaire")
            {
                owner[node.GetPropertyName()] = target;
            }
        }

        return Json($"dangling-reference:{target}", root);
    }

    private HostileInput InvalidUtf8(byte[] body)
    {
        var bytes = new List<byte>(body);
        byte[][] invalid = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0xE2, 0x82]];
        var quote = Enumerable.Range(0, bytes.Count).Where(i => bytes[i] == (byte)'"').ToList();
        var at = quote.Count > 0 ? quote[_random.Next(quote.Count)] + 1 : 0;
        bytes.InsertRange(at, invalid[_random.Next(invalid.Length)]);
        return new HostileInput("invalid-utf8", [.. bytes], jsonContentType);
    }

    private HostileInput WrongContentType(byte[] body)
    {
        return _random.Next(8) switch
        {
            6 => new HostileInput("xml-entity-expansion", BillionLaughs, "application/fhir+xml"),
            7 => new HostileInput("xml-external-entity", "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Patient xmlns=\"http://hl7.org/fhir\"><id value=\"&x;\"/></Patient>"u8.ToArray(), "application/fhir+xml"),
            0 => new HostileInput("xml-body", "<?xml version=\"1.0\"?><Parameters xmlns=\"http://hl7.org/fhir\"><parameter><name value=\"x\"/></parameter></Parameters>"u8.ToArray(), "application/fhir+xml"),
            1 => new HostileInput("xml-body-as-json", "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/></Bundle>"u8.ToArray(), jsonContentType),
            2 => new HostileInput("json-as-text", body, "text/plain"),
            3 => new HostileInput("json-as-form", body, "application/x-www-form-urlencoded"),
            4 => new HostileInput("json-without-content-type", body, null),
            _ => new HostileInput("json-as-multipart", body, "multipart/form-data; boundary=x"),
        };
    }

    private HostileInput SpecialDocument()
    {
        string[] documents = ["", "null", "[]", "{}", "\"text\"", "1e309", "-", "{\"resourceType\":null}", "{\"resourceType\":\"Bundle\",\"entry\":null}", "{\"resourceType\":\"Parameters\",\"parameter\":[{}]}", "{\"hook\":\"order-sign\",\"context\":[]}", "\u0000", "{\"a\":1}{\"b\":2}", "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{\"resourceType\":\"Claim\"}}]}"];
        var pick = _random.Next(documents.Length);
        return new HostileInput($"special:{pick}", Encoding.UTF8.GetBytes(documents[pick]), jsonContentType);
    }

    private string HostileString()
    {
        return _random.Next(4) switch
        {
            0 => new string('A', new[] { 1_000, 100_000, 900_000 }[_random.Next(3)]),
            1 => string.Concat(Enumerable.Range(0, 50).Select(_ => (char)_random.Next(0x20, 0xD7FF))),
            _ => HostileStrings[_random.Next(HostileStrings.Length)],
        };
    }

    private decimal ExtremeNumber() => new[] { decimal.MaxValue, decimal.MinValue, 0m, -1m, 0.0000000001m, 2147483648m, -2147483649m, 1.5m, 99999999999999999999m }[_random.Next(9)];

    private HostileInput RenameResourceType(byte[] body)
    {
        var root = JsonNode.Parse(body)!;
        var slots = ResourceSlots(root).ToList();
        var type = ResourceTypes[_random.Next(ResourceTypes.Length)];
        if (slots.Count > 0)
        {
            slots[_random.Next(slots.Count)]["resourceType"] = type;
        }

        return Json($"resource-type-renamed:{type}", root);
    }

    private HostileInput Json(string strategy, JsonNode node) => new(strategy, Encoding.UTF8.GetBytes(node.ToJsonString()), jsonContentType);

    private static byte[] TenMegabytesJson()
    {
        var padding = new string('x', 10 * 1024 * 1024);
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["resourceType"] = "Parameters", ["id"] = padding });
    }

    private static JsonObject MakeResource(string type) => type.Length == 0
        ? new JsonObject { ["id"] = "x" }
        : new JsonObject { ["resourceType"] = type, ["id"] = "wrong-" + type.ToLowerInvariant(), ["status"] = "active" };

    private static int CountResourceSlots(byte[] bytes) => ResourceSlots(JsonNode.Parse(bytes)!).Count();

    private static IEnumerable<JsonObject> ResourceSlots(JsonNode root) =>
        AllNodes(root).Select(n => n.Node).OfType<JsonObject>().Where(o => o.ContainsKey("resourceType"));

    private static IEnumerable<(JsonNode Node, JsonNode? Parent)> AllNodes(JsonNode root)
    {
        var stack = new Stack<(JsonNode, JsonNode?)>();
        stack.Push((root, null));
        while (stack.Count > 0)
        {
            var (node, parent) = stack.Pop();
            yield return (node, parent);
            switch (node)
            {
                case JsonObject o:
                    foreach (var (_, child) in o)
                    {
                        if (child is not null)
                        {
                            stack.Push((child, o));
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        if (child is not null)
                        {
                            stack.Push((child, a));
                        }
                    }

                    break;
            }
        }
    }

    private static void Replace(JsonNode node, JsonNode? replacement)
    {
        switch (node.Parent)
        {
            case JsonObject owner:
                owner[node.GetPropertyName()] = replacement;
                break;
            case JsonArray array:
                array[node.GetElementIndex()] = replacement;
                break;
        }
    }

    private static void Remove(JsonNode node)
    {
        switch (node.Parent)
        {
            case JsonObject owner:
                owner.Remove(node.GetPropertyName());
                break;
            case JsonArray array:
                array.RemoveAt(node.GetElementIndex());
                break;
        }
    }
}
