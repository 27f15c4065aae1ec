using System.Reflection;
using System.Text;

namespace SafetySurveillance.EventHubs.Tests.Api;

/// <summary>Renders the public (and protected) surface of an assembly as C#-like declarations, deterministically ordered.</summary>
internal static class PublicApiListing
{
    private static readonly NullabilityInfoContext Nullability = new();

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void", [typeof(object)] = "object", [typeof(string)] = "string", [typeof(bool)] = "bool",
        [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(short)] = "short", [typeof(ushort)] = "ushort",
        [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long", [typeof(ulong)] = "ulong",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal", [typeof(char)] = "char",
    };

    public static string Render(Assembly assembly)
    {
        var text = new StringBuilder();
        text.Append("// The public API of ").Append(assembly.GetName().Name).Append(". Checked by PublicApiTests; regenerate with UPDATE_API_LISTING=1.\n");
        var types = assembly.GetExportedTypes().Where(t => !t.IsNested).OrderBy(t => t.Namespace, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal);
        foreach (var group in types.GroupBy(t => t.Namespace))
        {
            text.Append("namespace ").Append(group.Key).Append("\n{\n");
            foreach (var type in group)
            {
                RenderType(text, type, "    ");
            }

            text.Append("}\n");
        }

        return text.ToString();
    }

    private static void RenderType(StringBuilder text, Type type, string indent)
    {
        text.Append(indent).Append(TypeHeader(type)).Append('\n').Append(indent).Append("{\n");
        var inner = indent + "    ";
        if (type.IsEnum)
        {
            foreach (var name in Enum.GetNames(type))
            {
                text.Append(inner).Append(name).Append(" = ").Append(Convert.ToInt64(Enum.Parse(type, name), System.Globalization.CultureInfo.InvariantCulture)).Append(",\n");
            }
        }
        else
        {
            foreach (var (_, _, line) in Members(type).OrderBy(m => m.Kind).ThenBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.Line, StringComparer.Ordinal))
            {
                text.Append(inner).Append(line).Append('\n');
            }

            foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).Where(IsVisible).OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                RenderType(text, nested, inner);
            }
        }

        text.Append(indent).Append("}\n");
    }

    private static bool IsVisible(Type nested) => nested.IsNestedPublic || nested.IsNestedFamily || nested.IsNestedFamORAssem;

    private static string TypeHeader(Type type)
    {
        var access = type.IsPublic || type.IsNestedPublic ? "public" : "protected";
        if (type.IsEnum)
        {
            return $"{access} enum {type.Name}";
        }

        if (type.IsInterface)
        {
            return $"{access} interface {ShortName(type)}{Bases(type)}";
        }

        if (type.IsValueType)
        {
            var isRecord = type.GetMethod("<Clone>$") is not null || type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) is not null;
            return $"{access} {(type.IsDefined(typeof(System.Runtime.CompilerServices.IsReadOnlyAttribute)) ? "readonly " : string.Empty)}{(isRecord ? "record struct" : "struct")} {ShortName(type)}{Bases(type)}";
        }

        var modifiers = type.IsAbstract && type.IsSealed ? "static " : type.IsAbstract ? "abstract " : type.IsSealed ? "sealed " : string.Empty;
        return $"{access} {modifiers}class {ShortName(type)}{Bases(type)}";
    }

    private static string ShortName(Type type) => type.IsGenericType
        ? $"{type.Name.Split('`')[0]}<{string.Join(", ", type.GetGenericArguments().Select(a => a.Name))}>"
        : type.Name;

    private static string Bases(Type type)
    {
        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum))
        {
            bases.Add(Name(baseType));
        }

        var inherited = type.BaseType?.GetInterfaces() ?? [];
        bases.AddRange(type.GetInterfaces().Except(inherited).Select(Name).Order(StringComparer.Ordinal));
        return bases.Count == 0 ? string.Empty : " : " + string.Join(", ", bases);
    }

    private static IEnumerable<(int Kind, string Name, string Line)> Members(Type type)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var constructor in type.GetConstructors(flags).Where(c => Visible(c)))
        {
            yield return (1, string.Empty, $"{Access(constructor)} {type.Name.Split('`')[0]}({Parameters(constructor)});");
        }

        foreach (var field in type.GetFields(flags).Where(f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly))
        {
            var value = field.IsLiteral ? $" = {Literal(field.GetRawConstantValue())}" : string.Empty;
            var modifier = field.IsLiteral ? "const " : field.IsStatic ? "static " : string.Empty;
            yield return (0, field.Name, $"{(field.IsPublic ? "public" : "protected")} {modifier}{TypeName(field.FieldType, Nullability.Create(field))} {field.Name}{value};");
        }

        foreach (var property in type.GetProperties(flags))
        {
            var getter = property.GetMethod is { } get && Visible(get) ? get : null;
            var setter = property.SetMethod is { } set && Visible(set) ? set : null;
            if (getter is null && setter is null)
            {
                continue;
            }

            var main = getter ?? setter!;
            var isInit = setter?.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit") == true;
            var accessors = (getter is null ? string.Empty : "get; ") + (setter is null ? string.Empty : (isInit ? "init; " : "set; "));
            var required = property.IsDefined(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute)) ? "required " : string.Empty;
            var indexer = property.GetIndexParameters().Length > 0 ? $"this[{string.Join(", ", property.GetIndexParameters().Select(Parameter))}]" : property.Name;
            yield return (2, property.Name, $"{Access(main)} {required}{Modifiers(main)}{TypeName(property.PropertyType, Nullability.Create(property))} {indexer} {{ {accessors}}}");
        }

        foreach (var @event in type.GetEvents(flags).Where(e => e.AddMethod is { } add && Visible(add)))
        {
            yield return (3, @event.Name, $"{Access(@event.AddMethod!)} {Modifiers(@event.AddMethod!)}event {TypeName(@event.EventHandlerType!, Nullability.Create(@event))} {@event.Name};");
        }

        foreach (var method in type.GetMethods(flags).Where(m => !m.IsSpecialName && Visible(m)))
        {
            if (method.Name is "<Clone>$" or "PrintMembers" or "EqualityContract" || (method.IsFamily && method.Name == "Finalize"))
            {
                continue;
            }

            var generic = method.IsGenericMethodDefinition ? $"<{string.Join(", ", method.GetGenericArguments().Select(a => a.Name))}>" : string.Empty;
            var name = method.Name.StartsWith("op_", StringComparison.Ordinal) ? $"operator {Operator(method.Name)}" : method.Name;
            yield return (4, name, $"{Access(method)} {Modifiers(method)}{TypeName(method.ReturnType, Nullability.Create(method.ReturnParameter))} {name}{generic}({Parameters(method)});");
        }
    }

    private static string Operator(string name) => name switch
    {
        "op_Equality" => "==",
        "op_Inequality" => "!=",
        "op_Implicit" => "implicit",
        "op_Explicit" => "explicit",
        _ => name,
    };

    private static bool Visible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static string Access(MethodBase method) => method.IsPublic ? "public" : method.IsFamilyOrAssembly ? "protected internal" : "protected";

    private static string Modifiers(MethodInfo method)
    {
        if (method.IsStatic)
        {
            return "static ";
        }

        if (method.IsAbstract)
        {
            return method.DeclaringType!.IsInterface ? string.Empty : "abstract ";
        }

        if (method.IsVirtual && !method.IsFinal)
        {
            return method.GetBaseDefinition() != method ? "override " : "virtual ";
        }

        return method.IsVirtual && method.GetBaseDefinition() != method ? "sealed override " : string.Empty;
    }

    private static string Parameters(MethodBase method) => string.Join(", ", method.GetParameters().Select(Parameter));

    private static string Parameter(ParameterInfo parameter)
    {
        var prefix = parameter.IsDefined(typeof(System.Runtime.CompilerServices.EnumeratorCancellationAttribute)) ? "[EnumeratorCancellation] " : string.Empty;
        var type = parameter.ParameterType.IsByRef ? parameter.ParameterType.GetElementType()! : parameter.ParameterType;
        var modifier = parameter.ParameterType.IsByRef ? (parameter.IsOut ? "out " : parameter.IsIn ? "in " : "ref ") : parameter.IsDefined(typeof(ParamArrayAttribute)) ? "params " : string.Empty;
        var value = !parameter.HasDefaultValue ? string.Empty
            : type.IsEnum && parameter.DefaultValue is not null ? $" = {Name(type)}.{Enum.GetName(type, parameter.DefaultValue)}"
            : $" = {Literal(parameter.DefaultValue)}";
        return $"{prefix}{modifier}{TypeName(type, Nullability.Create(parameter))} {parameter.Name}{value}";
    }

    private static string Literal(object? value) => value switch
    {
        null => "default",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };

    private static string Name(Type type) => TypeName(type, null);

    private static string TypeName(Type type, NullabilityInfo? nullability)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying, nullability?.GenericTypeArguments.FirstOrDefault()) + "?";
        }

        var suffix = nullability is { ReadState: NullabilityState.Nullable } && !type.IsValueType ? "?" : string.Empty;
        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!, nullability?.ElementType) + "[]" + suffix;
        }

        if (type.IsGenericParameter)
        {
            return type.Name + suffix;
        }

        if (Keywords.TryGetValue(type, out var keyword))
        {
            return keyword + suffix;
        }

        var name = type.IsNested ? $"{Name(type.DeclaringType!)}.{type.Name}" : $"{type.Namespace}.{type.Name}";
        if (type.IsGenericType)
        {
            var arguments = type.GetGenericArguments();
            var argumentNullability = nullability?.GenericTypeArguments;
            var rendered = arguments.Select((a, i) => TypeName(a, argumentNullability is { Length: > 0 } && i < argumentNullability.Length ? argumentNullability[i] : null));
            name = $"{name.Split('`')[0]}<{string.Join(", ", rendered)}>";
        }

        return name + suffix;
    }
}
