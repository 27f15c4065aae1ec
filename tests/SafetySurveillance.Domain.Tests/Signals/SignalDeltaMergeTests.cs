using CsCheck;
using SafetySurveillance.Domain.Signals;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Signals;

public sealed class SignalDeltaMergeTests
{
    private const long Iterations = 400;

    [Fact]
    public void Any_split_and_any_order_of_the_same_events_give_identical_rows()
    {
        Gen<(SignalContribution[] Events, int[] Chunk, int[] Order)> gen =
            from events in SignalGenerators.Contribution.Array[0, 80]
            from chunk in Gen.Int[0, 7].Array[events.Length]
            from order in Gen.Shuffle(Enumerable.Range(0, 8).ToArray())
            select (events, chunk, order);

        gen.Sample(
            sample =>
            {
                SignalDelta inOneGo = SignalGenerators.Fold(sample.Events);

                // Split into up to eight batches, fold each batch backwards, merge the batches in a shuffled order.
                var batches = new SignalDelta[8];
                for (int b = 0; b < batches.Length; b++)
                {
                    batches[b] = SignalGenerators.Fold(sample.Events.Where((_, i) => sample.Chunk[i] == b).Reverse());
                }

                SignalDelta merged = SignalDelta.Empty;
                foreach (int b in sample.Order)
                {
                    merged = SignalDelta.Merge(merged, batches[b]);
                }

                Assert.Equal(inOneGo, merged);
            },
            iter: Iterations);
    }

    [Fact]
    public void Merge_is_associative()
    {
        Gen.Select(SignalGenerators.Delta, SignalGenerators.Delta, SignalGenerators.Delta).Sample(
            (a, b, c) => Assert.Equal(SignalDelta.Merge(SignalDelta.Merge(a, b), c), SignalDelta.Merge(a, SignalDelta.Merge(b, c))),
            iter: Iterations);
    }

    [Fact]
    public void Merge_is_commutative()
    {
        Gen.Select(SignalGenerators.Delta, SignalGenerators.Delta).Sample(
            (a, b) => Assert.Equal(SignalDelta.Merge(a, b), SignalDelta.Merge(b, a)),
            iter: Iterations);
    }

    [Fact]
    public void Empty_is_the_identity_of_merge()
    {
        SignalGenerators.Delta.Sample(
            a =>
            {
                Assert.Equal(a, SignalDelta.Merge(a, SignalDelta.Empty));
                Assert.Equal(a, SignalDelta.Merge(SignalDelta.Empty, a));
            },
            iter: Iterations);
    }

    [Fact]
    public void Merge_leaves_its_inputs_unchanged()
    {
        Gen.Select(SignalGenerators.Delta, SignalGenerators.Delta).Sample(
            (a, b) =>
            {
                SignalDelta aBefore = a.Clone();
                SignalDelta bBefore = b.Clone();
                _ = SignalDelta.Merge(a, b);
                Assert.Equal(aBefore, a);
                Assert.Equal(bBefore, b);
            },
            iter: Iterations);
    }

    [Fact]
    public void A_delta_with_any_event_differs_from_empty()
    {
        SignalGenerators.Contribution.Sample(
            c => Assert.NotEqual(SignalDelta.Empty, SignalGenerators.Fold([c])),
            iter: Iterations);
    }
}
