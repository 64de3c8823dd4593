using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// What FHIR asks of a JSON request body beyond JSON's own syntax, checked in one pass of the
/// reader before anything reads its content:
/// <list type="bullet">
/// <item>the body is one JSON object (a resource), not a number, string or array;</item>
/// <item>no string holds a control character other than tab, CR and LF (FHIR's string rule; XML
/// cannot even carry them, so such a value stored from JSON broke every XML answer naming it);</item>
/// <item>no string holds half a surrogate pair (it is not text, and no reader agrees on it);</item>
/// <item>no object names a property twice: JSON readers disagree on which copy wins (Firely's kept
/// the first, System.Text.Json's documents the last), so two readers of one body could act on
/// different content.</item>
/// </list>
/// Each refusal is a 400 that names the problem and where it is (line and byte, as a JSON syntax
/// error does). The body is expected to be valid UTF-8 already.
/// </summary>
public static class FhirJsonInputRules
{
    // Up to this many properties an object's names are compared one by one, which costs nothing
    // for FHIR's small objects; past it a set keeps a many-property body from costing n².
    private const int LinearNameLimit = 16;

    public static void Check(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        var names = new PropertyNames();
        try
        {
            if (!reader.Read())
            {
                throw FhirHttpException.Structure("The request body is empty; a FHIR resource was expected.");
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw FhirHttpException.Structure("The request body must be a JSON object, a FHIR resource.");
            }

            names.Enter();
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        names.Enter();
                        break;
                    case JsonTokenType.EndObject:
                        names.Leave();
                        break;
                    case JsonTokenType.PropertyName:
                        CheckText(ref reader, body);
                        var name = reader.ValueIsEscaped
                            ? PropertyName.Unescaped(Encoding.UTF8.GetBytes(reader.GetString()!))
                            : PropertyName.InBody((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                        if (!names.Add(name, body))
                        {
                            throw Refusal(ref reader, body, $"the property \"{reader.GetString()}\" appears twice in one object; FHIR JSON names each property once");
                        }

                        break;
                    case JsonTokenType.String:
                        CheckText(ref reader, body);
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            throw FhirHttpException.Structure(FhirJson.InvalidJson(ex), ex);
        }
    }

    /// <summary>An escaped string is checked for what its escapes spell; an unescaped one holds no control character (JSON forbids them raw).</summary>
    private static void CheckText(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        if (!reader.ValueIsEscaped)
        {
            return;
        }

        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        var pendingHigh = false;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\')
            {
                if (pendingHigh)
                {
                    throw Refusal(ref reader, body, "a string holds half a surrogate pair (\\uD800–\\uDBFF without its second half), which is not text");
                }

                continue;
            }

            var escape = raw[++i];
            if (escape != (byte)'u')
            {
                if (pendingHigh)
                {
                    throw Refusal(ref reader, body, "a string holds half a surrogate pair (\\uD800–\\uDBFF without its second half), which is not text");
                }

                if (escape is (byte)'b' or (byte)'f')
                {
                    throw ControlCharacter(ref reader, body, escape == (byte)'b' ? 0x08 : 0x0C);
                }

                continue;
            }

            // The reader has checked the syntax, so four hex digits follow.
            if (!Utf8Parser.TryParse(raw.Slice(i + 1, 4), out ushort unit, out _, 'x'))
            {
                throw Refusal(ref reader, body, "a \\u escape is not followed by four hexadecimal digits");
            }

            i += 4;
            if (pendingHigh != unit is >= 0xDC00 and <= 0xDFFF)
            {
                throw Refusal(ref reader, body, "a string holds half a surrogate pair (a \\uD800–\\uDFFF escape without its other half), which is not text");
            }

            pendingHigh = unit is >= 0xD800 and <= 0xDBFF;
            if (unit < 0x20 && unit is not (0x09 or 0x0A or 0x0D))
            {
                throw ControlCharacter(ref reader, body, unit);
            }
        }

        if (pendingHigh)
        {
            throw Refusal(ref reader, body, "a string ends with half a surrogate pair (\\uD800–\\uDBFF without its second half), which is not text");
        }
    }

    private static FhirHttpException ControlCharacter(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, int character) =>
        Refusal(ref reader, body, $"a string holds the control character U+{character:X4}; FHIR strings may hold no character below U+0020 other than tab, CR and LF");

    private static FhirHttpException Refusal(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string problem)
    {
        var at = (int)reader.TokenStartIndex;
        var before = body[..at];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return FhirHttpException.Structure($"The request body is not valid FHIR JSON (line {line}, byte {at - lineStart + 1}): {problem}.");
    }

    /// <summary>A property name: where it lies in the body, or (rare in FHIR) its unescaped bytes.</summary>
    private readonly record struct PropertyName(int Offset, int Length, byte[]? Bytes)
    {
        public static PropertyName InBody(int offset, int length) => new(offset, length, null);

        public static PropertyName Unescaped(byte[] bytes) => new(0, bytes.Length, bytes);

        public ReadOnlySpan<byte> In(ReadOnlySpan<byte> body) => Bytes ?? body.Slice(Offset, Length);
    }

    /// <summary>The property names of every object still open, innermost last.</summary>
    private sealed class PropertyNames
    {
        private readonly List<PropertyName> _names = [];
        private readonly Stack<(int Start, HashSet<string>? Many)> _objects = new();

        public void Enter() => _objects.Push((_names.Count, null));

        public void Leave()
        {
            var (start, _) = _objects.Pop();
            _names.RemoveRange(start, _names.Count - start);
        }

        /// <summary>False when the innermost object already has this name.</summary>
        public bool Add(PropertyName name, ReadOnlySpan<byte> body)
        {
            var (start, many) = _objects.Peek();
            if (many is not null)
            {
                return many.Add(Encoding.UTF8.GetString(name.In(body)));
            }

            var text = name.In(body);
            for (var i = start; i < _names.Count; i++)
            {
                if (_names[i].In(body).SequenceEqual(text))
                {
                    return false;
                }
            }

            _names.Add(name);
            if (_names.Count - start > LinearNameLimit)
            {
                var set = new HashSet<string>(StringComparer.Ordinal);
                for (var i = start; i < _names.Count; i++)
                {
                    set.Add(Encoding.UTF8.GetString(_names[i].In(body)));
                }

                _objects.Pop();
                _objects.Push((start, set));
            }

            return true;
        }
    }
}
