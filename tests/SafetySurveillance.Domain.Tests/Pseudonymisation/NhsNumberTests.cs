using System.Text.Json;
using SafetySurveillance.Domain.Pseudonymisation;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Pseudonymisation;

public sealed class NhsNumberTests
{
    [Theory]
    [InlineData("9434765919")]
    [InlineData("9434765870")]
    [InlineData("943 476 5919")]
    [InlineData("943 476 5870")]
    [InlineData("4010232137")]
    [InlineData("0000000000")]
    public void Numbers_with_a_valid_modulus_11_check_digit_are_accepted(string text)
    {
        Assert.True(NhsNumber.TryParse(text, out var number, out var reason), reason);
        Assert.NotNull(number);
    }

    [Fact]
    public void Every_wrong_final_digit_of_a_valid_number_is_rejected()
    {
        foreach (var valid in new[] { "9434765919", "9434765870", "4010232137" })
        {
            for (var digit = '0'; digit <= '9'; digit++)
            {
                var candidate = valid[..9] + digit;
                Assert.Equal(candidate == valid, NhsNumber.TryParse(candidate, out _, out _));
            }
        }
    }

    [Theory]
    [InlineData("123456789")] // weighted sum 210, 210 mod 11 = 1, check = 10: no valid number starts with these nine digits
    [InlineData("000000006")]
    public void A_first_nine_digits_whose_check_would_be_10_has_no_valid_number(string firstNine)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (firstNine[i] - '0') * (10 - i);
        }

        Assert.Equal(10, 11 - (sum % 11));
        for (var digit = '0'; digit <= '9'; digit++)
        {
            Assert.False(NhsNumber.TryParse(firstNine + digit, out _, out var reason));
            Assert.Equal("fails the NHS number modulus-11 check digit", reason);
        }
    }

    [Fact]
    public void The_check_digit_is_computed_independently_for_random_numbers()
    {
        var random = new Random(20260315);
        for (var n = 0; n < 10_000; n++)
        {
            var digits = string.Concat(Enumerable.Range(0, 10).Select(_ => (char)('0' + random.Next(10))));
            var total = Enumerable.Range(0, 9).Sum(i => (digits[i] - '0') * (10 - i));
            var remainder = total % 11;
            var expected = remainder == 0 ? 0 : 11 - remainder;
            var valid = expected != 10 && expected == digits[9] - '0';

            Assert.Equal(valid, NhsNumber.TryParse(digits, out _, out _));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("943476591")]
    [InlineData("94347659190")]
    [InlineData("943-476-5919")]
    [InlineData("9434 765 919")]
    [InlineData("943 4765919")]
    [InlineData(" 9434765919")]
    [InlineData("9434765919 ")]
    [InlineData("943476591O")]
    [InlineData("９４３４７６５９１９")]
    [InlineData("943\u00A0476\u00A05919")]
    public void Text_that_is_not_10_digits_in_an_accepted_layout_is_rejected(string text)
    {
        Assert.False(NhsNumber.TryParse(text, out _, out var reason));
        Assert.Equal("must be 10 digits, written either without spaces or in the 3-3-4 grouping with single spaces", reason);
    }

    [Fact]
    public void Spaced_and_unspaced_forms_are_the_same_number()
    {
        Assert.Equal(NhsNumber.Parse("9434765919"), NhsNumber.Parse("943 476 5919"));
        Assert.NotEqual(NhsNumber.Parse("9434765919"), NhsNumber.Parse("9434765870"));
    }

    [Fact]
    public void The_number_never_appears_in_text_or_json()
    {
        var number = NhsNumber.Parse("9434765919");

        Assert.Equal("NhsNumber(redacted)", number.ToString());
        Assert.Equal("x NhsNumber(redacted)", $"x {number}");
        Assert.DoesNotContain("9434765919", JsonSerializer.Serialize(number), StringComparison.Ordinal);
        Assert.DoesNotContain(typeof(NhsNumber).GetProperties(), p => p.GetMethod?.IsPublic == true);
    }

    [Fact]
    public void A_parse_failure_message_does_not_repeat_the_input()
    {
        var exception = Assert.Throws<FormatException>(() => NhsNumber.Parse("9434765918"));

        Assert.DoesNotContain("943", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ref 9434765919 end", true)]
    [InlineData("943 476 5919", true)]
    [InlineData("943-476-5919", true)]
    [InlineData("x9434765919", true)]
    [InlineData("94347659190", false)]
    [InlineData("19434765919", false)]
    [InlineData("9434765918", false)]
    [InlineData("2026-03-15T09:30:00Z", false)]
    [InlineData("943 476 59190", false)]
    public void Nhs_numbers_hidden_in_free_text_are_detected(string text, bool expected)
    {
        Assert.Equal(expected, NhsNumber.LooksLikeOneInside(text));
    }

    [Theory]
    [InlineData("9434765919", true)]
    [InlineData(" 943 476 5919 ", true)]
    [InlineData("943-476-5919", true)]
    [InlineData("943 476-5919", false)]
    [InlineData("x9434765919", false)]
    [InlineData("9434765918", false)]
    public void A_whole_value_nhs_number_is_recognised(string text, bool expected)
    {
        Assert.Equal(expected, NhsNumber.IsOneExactly(text));
    }
}
