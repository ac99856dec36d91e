using BotEngine.Nlu.Text;

namespace BotEngine.Nlu.Tests;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("Ещё РАЗ, пожалуйста!", "еще раз пожалуйста")]
    [InlineData("I don't   KNOW", "i dont know")]
    [InlineData("card 1234 blocked on 12.05", "card 0 blocked on 0 0")]
    [InlineData("Where is it?? Now", "where is it ? now")]
    [InlineData("ﬁle №5", "file no0")]
    public void Canonical_form(string input, string expected) => Assert.Equal(expected, TextNormalizer.Canonical(input));

    [Fact]
    public void Empty_and_punctuation_only_give_no_tokens()
    {
        Assert.Empty(TextNormalizer.Tokenize(""));
        Assert.Empty(TextNormalizer.Tokenize(" ...,!! "));
    }
}
