using System.Reflection;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Pseudonymisation;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Pseudonymisation;

public sealed class PipelineTypeTests
{
    private const BindingFlags AllInstance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    [Fact]
    public void No_type_reachable_from_a_pseudonymised_event_can_hold_an_nhs_number()
    {
        var reachable = Reachable(typeof(PseudonymisedSafetyEvent), DerivedFrom(typeof(PseudonymisedSafetyEvent)));

        Assert.DoesNotContain(typeof(NhsNumber), reachable);
        Assert.Contains(typeof(PatientPseudonym), reachable);

        // Nor anything untyped that could smuggle one in.
        Assert.DoesNotContain(typeof(object), reachable);
        Assert.DoesNotContain(reachable, t => t.IsInterface && t.Namespace?.StartsWith("SafetySurveillance", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void The_reachability_check_would_find_the_nhs_number_in_the_validated_event()
    {
        // Proves the walk above can fail: the identifiable side does reach NhsNumber.
        var reachable = Reachable(typeof(ValidatedSafetyEvent), DerivedFrom(typeof(ValidatedSafetyEvent)));

        Assert.Contains(typeof(NhsNumber), reachable);
    }

    [Fact]
    public void Validated_and_pseudonymised_events_are_unrelated_closed_hierarchies()
    {
        Assert.False(typeof(ValidatedSafetyEvent).IsAssignableFrom(typeof(PseudonymisedSafetyEvent)));
        Assert.False(typeof(PseudonymisedSafetyEvent).IsAssignableFrom(typeof(ValidatedSafetyEvent)));
        Assert.Equal(3, DerivedFrom(typeof(ValidatedSafetyEvent)).Count());
        Assert.Equal(3, DerivedFrom(typeof(PseudonymisedSafetyEvent)).Count());
        Assert.All(DerivedFrom(typeof(PseudonymisedSafetyEvent)), t => Assert.True(t.IsSealed));

        // An abstract member that only this assembly can override closes each hierarchy to other assemblies.
        foreach (var root in new[] { typeof(ValidatedSafetyEvent), typeof(PseudonymisedSafetyEvent) })
        {
            Assert.Contains(root.GetMethods(AllInstance), m => m.IsAbstract && m.IsFamilyAndAssembly);
        }
    }

    private static IEnumerable<Type> DerivedFrom(Type root) =>
        root.Assembly.GetTypes().Where(t => t != root && root.IsAssignableFrom(t));

    private static HashSet<Type> Reachable(Type root, IEnumerable<Type> derived)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(derived.Append(root));
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type) || type.IsPrimitive || type == typeof(string) || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true && !type.IsGenericType)
            {
                continue;
            }

            if (type.IsArray)
            {
                pending.Push(type.GetElementType()!);
                continue;
            }

            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                pending.Push(argument);
            }

            if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
            {
                continue;
            }

            foreach (var field in type.GetFields(AllInstance))
            {
                pending.Push(field.FieldType);
            }

            foreach (var property in type.GetProperties(AllInstance))
            {
                pending.Push(property.PropertyType);
            }

            foreach (var subtype in DerivedFrom(type))
            {
                pending.Push(subtype);
            }
        }

        return seen;
    }
}
