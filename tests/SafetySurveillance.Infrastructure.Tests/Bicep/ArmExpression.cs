using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace SafetySurveillance.Infrastructure.Tests.Bicep;

/// <summary>
/// Evaluates the small subset of ARM template expressions that names and settings in our templates use
/// (<c>parameters</c>, <c>variables</c>, <c>format</c>, <c>toLower</c>, <c>copyIndex</c>, ...). Anything else throws,
/// so a test never silently passes over an expression it did not understand. <c>uniqueString</c> and
/// <c>subscription()</c> are deterministic stand-ins for values only Azure knows.
/// </summary>
internal sealed class ArmExpression
{
    private readonly JsonObject _template;
    private readonly Func<string, object?> _parameter;
    private readonly int? _copyIndex;

    public ArmExpression(JsonObject template, Func<string, object?> parameter, int? copyIndex = null)
    {
        _template = template;
        _parameter = parameter;
        _copyIndex = copyIndex;
    }

    /// <summary>An object or array value not yet evaluated: members are evaluated when read.</summary>
    public sealed record Lazy(JsonNode Node, ArmExpression Context);

    /// <summary>Resolves a template value: an expression string <c>"[...]"</c>, a literal, an object or an array.</summary>
    public object? Resolve(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => ResolveString(text),
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when value.TryGetValue<long>(out var number) => number,
        JsonObject => new Lazy(node, this),
        JsonArray array => array.Select(Resolve).ToList(),
        _ => throw new NotSupportedException($"Unsupported template value {node.ToJsonString()}"),
    };

    /// <summary>Resolves fully to a string.</summary>
    public string ResolveToString(JsonNode? node) => AsString(Resolve(node));

    private object? ResolveString(string text)
    {
        if (text.StartsWith("[[", StringComparison.Ordinal))
        {
            return text[1..];
        }

        if (text.StartsWith('[') && text.EndsWith(']'))
        {
            var parser = new Parser(text[1..^1], this);
            var result = parser.ParseExpression();
            parser.ExpectEnd();
            return result;
        }

        return text;
    }

    private static string AsString(object? value) => value switch
    {
        string s => s,
        long n => n.ToString(CultureInfo.InvariantCulture),
        int n => n.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        null => string.Empty,
        _ => throw new NotSupportedException($"Cannot use {value.GetType().Name} as a string."),
    };

    private object? Call(string name, IReadOnlyList<object?> args)
    {
        switch (name.ToLowerInvariant())
        {
            case "parameters":
                return _parameter(AsString(args[0]));
            case "variables":
                var variables = _template["variables"]?.AsObject() ?? throw new InvalidOperationException("Template has no variables.");
                var key = AsString(args[0]);
                return Resolve(variables[key] ?? throw new InvalidOperationException($"Unknown variable '{key}'."));
            case "format":
                var format = AsString(args[0]);
                return string.Format(CultureInfo.InvariantCulture, format, args.Skip(1).Select(AsString).Cast<object>().ToArray());
            case "concat":
                return string.Concat(args.Select(AsString));
            case "tolower":
                return AsString(args[0]).ToLowerInvariant();
            case "toupper":
                return AsString(args[0]).ToUpperInvariant();
            case "string":
                return AsString(args[0]);
            case "take":
                var text = AsString(args[0]);
                return text[..Math.Min(text.Length, (int)(long)args[1]!)];
            case "length":
                return args[0] switch
                {
                    string s => (long)s.Length,
                    List<object?> list => (long)list.Count,
                    _ => throw new NotSupportedException("length() of this value"),
                };
            case "copyindex":
                return (long)(_copyIndex ?? throw new InvalidOperationException("copyIndex() outside a copy loop.")) +
                       (args.Count > 0 ? (long)args[^1]! : 0);
            case "empty":
                return args[0] switch
                {
                    null => true,
                    string s => s.Length == 0,
                    List<object?> list => list.Count == 0,
                    _ => false,
                };
            case "not":
                return !(bool)args[0]!;
            case "if":
                return (bool)args[0]! ? args[1] : args[2];
            case "true":
                return true;
            case "false":
                return false;
            case "uniquestring":
                var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', args.Select(AsString))));
                return "u" + Convert.ToHexStringLower(hash)[..12];
            case "subscriptionresourceid":
                // subscriptionResourceId('Type', 'name', ...): /subscriptions/{id}/providers/Type/name
                return $"/subscriptions/00000000-0000-0000-0000-000000000000/providers/{AsString(args[0])}/{string.Join('/', args.Skip(1).Select(AsString))}";
            case "subscription":
                return new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
                {
                    ["id"] = "/subscriptions/00000000-0000-0000-0000-000000000000",
                    ["subscriptionId"] = "00000000-0000-0000-0000-000000000000",
                    ["tenantId"] = "11111111-1111-1111-1111-111111111111",
                };
            default:
                throw new NotSupportedException($"The test evaluator does not know the ARM function '{name}'.");
        }
    }

    private object? Member(object? target, string member) => target switch
    {
        Lazy { Node: JsonObject obj } lazy => lazy.Context.Resolve(
            obj.FirstOrDefault(p => string.Equals(p.Key, member, StringComparison.OrdinalIgnoreCase)).Value
            ?? throw new InvalidOperationException($"No member '{member}'.")),
        Dictionary<string, object?> map => map[member],
        _ => throw new NotSupportedException($"Member '{member}' of {target?.GetType().Name ?? "null"}."),
    };

    private static object? Index(object? target, object? index) => (target, index) switch
    {
        (List<object?> list, long i) => list[(int)i],
        (Lazy { Node: JsonArray array } lazy, long i) => lazy.Context.Resolve(array[(int)i]),
        _ => throw new NotSupportedException("Unsupported indexer."),
    };

    private sealed class Parser(string text, ArmExpression owner)
    {
        private int _position;

        public object? ParseExpression()
        {
            var value = ParsePrimary();
            while (true)
            {
                SkipSpaces();
                if (Peek('.'))
                {
                    _position++;
                    value = owner.Member(value, ParseIdentifier());
                }
                else if (Peek('['))
                {
                    _position++;
                    var index = ParseExpression();
                    Expect(']');
                    value = Index(value, index);
                }
                else
                {
                    return value;
                }
            }
        }

        public void ExpectEnd()
        {
            SkipSpaces();
            if (_position != text.Length)
            {
                throw new FormatException($"Unexpected '{text[_position..]}' in expression '{text}'.");
            }
        }

        private object? ParsePrimary()
        {
            SkipSpaces();
            if (Peek('\''))
            {
                return ParseString();
            }

            if (_position < text.Length && (char.IsDigit(text[_position]) || text[_position] == '-'))
            {
                var start = _position++;
                while (_position < text.Length && char.IsDigit(text[_position]))
                {
                    _position++;
                }

                return long.Parse(text[start.._position], CultureInfo.InvariantCulture);
            }

            var name = ParseIdentifier();
            Expect('(');
            var args = new List<object?>();
            SkipSpaces();
            if (!Peek(')'))
            {
                do
                {
                    args.Add(ParseExpression());
                    SkipSpaces();
                }
                while (TryTake(','));
            }

            Expect(')');
            return owner.Call(name, args);
        }

        private string ParseString()
        {
            Expect('\'');
            var builder = new StringBuilder();
            while (true)
            {
                if (_position >= text.Length)
                {
                    throw new FormatException($"Unterminated string in '{text}'.");
                }

                var c = text[_position++];
                if (c == '\'')
                {
                    if (Peek('\''))
                    {
                        builder.Append('\'');
                        _position++;
                        continue;
                    }

                    return builder.ToString();
                }

                builder.Append(c);
            }
        }

        private string ParseIdentifier()
        {
            SkipSpaces();
            var start = _position;
            while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            return _position > start ? text[start.._position] : throw new FormatException($"Identifier expected at {start} in '{text}'.");
        }

        private bool Peek(char c) => _position < text.Length && text[_position] == c;

        private bool TryTake(char c)
        {
            SkipSpaces();
            if (!Peek(c))
            {
                return false;
            }

            _position++;
            return true;
        }

        private void Expect(char c)
        {
            if (!TryTake(c))
            {
                throw new FormatException($"'{c}' expected at {_position} in '{text}'.");
            }
        }

        private void SkipSpaces()
        {
            while (_position < text.Length && text[_position] == ' ')
            {
                _position++;
            }
        }
    }
}
