using BotEngine.Engine.Clients;

namespace BotEngine.Bot.Tests.Clients;

/// <summary>The two signing schemes against values computed outside .NET (the brief's MD5 example; Python's hmac for HMAC).</summary>
public sealed class FieldSignatureTests
{
    [Fact]
    public void Md5_scheme_verifies_the_published_example()
    {
        Assert.Equal("ff127a29530759df7752f6ffab2a78fd", FieldSignature.Md5Of(["123", "my value", "999"], "Rdr9ucDi19nixmpevci5EiOvlFVyXbCT"));
    }

    [Fact]
    public void Hmac_scheme_signs_timestamp_then_standard_then_custom_fields_by_name()
    {
        var ordered = FieldSignature.Order([("firstName", "Анна"), ("email", "anna@example.com")], [("tier", "gold")]);
        // python3: hmac.new(b'site-secret', 'timestamp=1796029200\nfirstName=Анна\nemail=anna@example.com\nfields.tier=gold'.encode(), sha256)
        Assert.Equal("bde66687187a888c6e092e71bdb0725bf677767d21ea0545509f96ad6e7fba3b",
            FieldSignature.HmacOf(1796029200, ordered, "site-secret"));
    }

    [Fact]
    public void Comparison_ignores_case_and_refuses_a_different_or_missing_signature()
    {
        Assert.True(FieldSignature.Matches("ff127a29530759df7752f6ffab2a78fd", "FF127A29530759DF7752F6FFAB2A78FD"));
        Assert.False(FieldSignature.Matches("ff127a29530759df7752f6ffab2a78fd", "ff127a29530759df7752f6ffab2a78fe"));
        Assert.False(FieldSignature.Matches("ff127a29530759df7752f6ffab2a78fd", null));
    }

    [Theory]
    [InlineData("8 (916) 123-45-67", "+79161234567")]
    [InlineData("+7 916 123 45 67", "+79161234567")]
    [InlineData("9161234567", "+79161234567")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    public void Phones_are_stored_as_plus_and_digits(string typed, string stored) =>
        Assert.Equal(stored, ContactValues.NormalizePhone(typed));

    [Theory]
    [InlineData("12345")]
    [InlineData("+7 916 abc")]
    public void A_value_that_is_no_phone_is_refused_naming_the_field(string typed)
    {
        var error = Assert.Throws<ClientProfileException>(() => ContactValues.NormalizePhone(typed));
        Assert.StartsWith("phone:", error.Message, StringComparison.Ordinal);
    }
}
