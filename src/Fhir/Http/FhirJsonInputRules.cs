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
/// <see cref="Check"/> refuses with a 400 naming the problem and where it is (line and byte, as a
/// JSON syntax error does); <see cref="Violation"/> words the problem for an edge whose protocol
/// answers otherwise (CDS Hooks: 422). The body is expected to be valid UTF-8 already.
/// </summary>
public static class FhirJsonInputRules
{
    // Up to this many properties an object's names are compared one by one, which costs nothing
    // for FHIR's small objects; past it a set keeps a many-property body from costing n².
    private const int LinearNameLimit = 16;

    /// <summary>Refuses a body that breaks JSON's syntax or these rules with a 400 saying where.</summary>
    public static void Check(ReadOnlySpan<byte> body)
    {
        string? problem;
        try
        {
            problem = Violation(body);
        }
        catch (JsonException ex)
        {
            throw FhirHttpException.Structure(FhirJson.InvalidJson(ex), ex);
        }

        if (problem is not null)
        {
            throw FhirHttpException.Structure(problem);
        }
    }

    /// <summary>
    /// What in the body breaks these rules, worded for the caller with where it is, or null.
    /// A JSON syntax error is thrown (<see cref="JsonException"/>): the caller words it as its
    /// protocol does.
    /// </summary>
    public static string? Violation(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read())
        {
            return "The request body is empty; a JSON object was expected.";
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return "The request body must be a JSON object.";
        }

        var names = new PropertyNames();
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
                    if (TextProblem(ref reader) is { } badName)
                    {
                        return At(ref reader, body, badName);
                    }

                    var name = reader.ValueIsEscaped
                        ? PropertyName.Unescaped(Encoding.UTF8.GetBytes(reader.GetString()!))
                        : PropertyName.InBody((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                    if (!names.Add(name, body))
                    {
                        return At(ref reader, body, $"the property \"{reader.GetString()}\" appears twice in one object; JSON for FHIR names each property once");
                    }

                    break;
                case JsonTokenType.String:
                    if (TextProblem(ref reader) is { } badText)
                    {
                        return At(ref reader, body, badText);
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>
    /// What an escaped string's escapes spell that FHIR forbids, or null; an unescaped one holds no
    /// control character (JSON forbids them raw) and no surrogate (UTF-8 cannot carry one).
    /// </summary>
    private static string? TextProblem(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return null;
        }

        const string HalfPair = "a string holds half a surrogate pair (a \\uD800–\\uDFFF escape without its other half), which is not text";
        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        var pendingHigh = false;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\')
            {
                if (pendingHigh)
                {
                    return HalfPair;
                }

                continue;
            }

            var escape = raw[++i];
            if (escape != (byte)'u')
            {
                if (pendingHigh)
                {
                    return HalfPair;
                }

                if (escape is (byte)'b' or (byte)'f')
                {
                    return ControlCharacter(escape == (byte)'b' ? 0x08 : 0x0C);
                }

                continue;
            }

            // The reader has checked the syntax, so four hexadecimal digits follow.
            if (!Utf8Parser.TryParse(raw.Slice(i + 1, 4), out ushort unit, out _, 'x'))
            {
                return "a \\u escape is not followed by four hexadecimal digits";
            }

            i += 4;
            if (pendingHigh != unit is >= 0xDC00 and <= 0xDFFF)
            {
                return HalfPair;
            }

            pendingHigh = unit is >= 0xD800 and <= 0xDBFF;
            if (unit < 0x20 && unit is not (0x09 or 0x0A or 0x0D))
            {
                return ControlCharacter(unit);
            }
        }

        return pendingHigh ? HalfPair : null;
    }

    private static string ControlCharacter(int character) =>
        $"a string holds the control character U+{character:X4}; FHIR strings may hold no character below U+0020 other than tab, CR and LF";

    /// <summary>The problem with where it is: line and byte, as a JSON syntax error says it.</summary>
    private static string At(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string problem)
    {
        var at = (int)reader.TokenStartIndex;
        var before = body[..at];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return $"The request body is not valid JSON for FHIR (line {line}, byte {at - lineStart + 1}): {problem}.";
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
