namespace BotEngine.KnowledgeBase.Tests;

public class SearchTests
{
    private static KbSearchIndex Index() => new(TestKb.Load());

    [Theory]
    [InlineData("карта", "карт")]
    [InlineData("карту", "карт")]
    [InlineData("карты", "карт")]
    [InlineData("картой", "карт")]
    [InlineData("картами", "карт")]
    [InlineData("заблокировать", "заблокирова")]
    [InlineData("заблокирована", "заблокирова")]
    [InlineData("перевода", "перевод")]
    [InlineData("переводы", "перевод")]
    [InlineData("красивейший", "красив")]
    public void Russian_stemmer_folds_word_forms(string word, string stem) => Assert.Equal(stem, RussianStemmer.Stem(word));

    [Theory]
    [InlineData("blocked", "block")]
    [InlineData("blocking", "block")]
    [InlineData("blocks", "block")]
    [InlineData("cards", "card")]
    [InlineData("payments", "payment")]
    [InlineData("running", "run")]
    [InlineData("stories", "stori")]
    [InlineData("story", "stori")]
    [InlineData("transferred", "transfer")]
    public void English_stemmer_folds_word_forms(string word, string stem) => Assert.Equal(stem, EnglishStemmer.Stem(word));

    [Theory]
    [InlineData("карта")]
    [InlineData("карту")]
    [InlineData("карты")]
    [InlineData("КАРТОЙ")]
    public void Russian_word_forms_find_the_article(string query) =>
        Assert.Equal("block_card", Index().Search(query).First().ArticleId);

    [Fact]
    public void A_phrase_ranks_the_article_matching_all_words_first()
    {
        var hits = Index().Search("как заблокировать карточку карту");
        Assert.Equal("block_card", hits[0].ArticleId);
        Assert.Equal("Блокировка карты", hits[0].Title);
        Assert.Contains("заблокирована", hits[0].Snippet);
    }

    [Theory]
    [InlineData("блокировака")] // an extra letter
    [InlineData("блокирвока")]  // swapped letters
    [InlineData("крату")]       // swapped letters in a short word
    public void Typos_are_tolerated(string query) =>
        Assert.Equal("block_card", Index().Search(query).First().ArticleId);

    [Fact]
    public void Unrelated_words_find_nothing() => Assert.Empty(Index().Search("ипотека"));

    [Fact]
    public void English_stemming_finds_articles()
    {
        var index = Index();
        index.Upsert(new Article { Id = "en_block", Title = "Blocking a card", Questions = ["my card was blocked"], Answers = [new Answer { Text = "Cards get blocked after three wrong PINs." }] });
        Assert.Equal("en_block", index.Search("blocks").First().ArticleId);
        Assert.Equal("en_block", index.Search("card blocking").First().ArticleId);
        Assert.Equal("en_block", index.Search("blokced").First().ArticleId); // typo
    }

    [Fact]
    public void Saved_article_is_searchable_at_once_and_removed_at_once()
    {
        var index = Index();
        Assert.Empty(index.Search("ипотека"));
        index.Upsert(new Article { Id = "mortgage", Title = "Ипотека", Answers = [new Answer { Text = "Ставки по ипотеке" }] });
        Assert.Equal("mortgage", index.Search("ипотеку").Single().ArticleId);
        index.Upsert(new Article { Id = "mortgage", Title = "Кредит на жильё", Answers = [new Answer { Text = "Ставки" }] });
        Assert.Empty(index.Search("ипотеку"));
        Assert.True(index.Remove("mortgage"));
        Assert.Empty(index.Search("жилье"));
    }

    [Fact]
    public void Filters_by_record_type_and_access()
    {
        var index = Index();
        Assert.Equal(["block_card"], index.Search("карты", new KbSearchFilter { RecordTypes = ["KB"] }).Select(h => h.ArticleId));
        Assert.DoesNotContain(index.Search("карты", new KbSearchFilter { RecordTypes = ["QA"] }), h => h.ArticleId == "block_card");
        Assert.Equal("vip_only", index.Search("vip").Single().ArticleId);
        Assert.Empty(index.Search("vip", new KbSearchFilter { CallCentre = "main" }));
        Assert.Empty(index.Search("vip", new KbSearchFilter { Language = "en" }));
        Assert.Empty(index.Search("vip", new KbSearchFilter { Skills = ["cards"] }));
        Assert.Single(index.Search("vip", new KbSearchFilter { CallCentre = "vip", Line = "vip-line", Skills = ["premium"], Language = "ru" }));
    }

    [Fact]
    public void Commands_are_not_indexed() => Assert.Empty(Index().Search("redirect"));

    [Fact]
    public void Suggest_completes_the_word_being_typed()
    {
        var suggestions = Index().Suggest("забло");
        Assert.Equal("Блокировка карты", suggestions[0].Text);
        Assert.Equal("block_card", suggestions[0].ArticleId);
        Assert.Contains(suggestions, s => s.ArticleId is null && s.Text == "заблокировать");
        Assert.Contains(Index().Suggest("новую кар"), s => s.Text == "новую карту");
    }

    [Fact]
    public void Suggest_respects_limit_and_empty_input()
    {
        Assert.Empty(Index().Suggest("  "));
        Assert.Single(Index().Suggest("к", limit: 1));
    }

    [Theory]
    [InlineData("карта", "карта", 0)]
    [InlineData("карта", "крата", 1)]
    [InlineData("карта", "кара", 1)]
    [InlineData("карта", "коржи", 3)]
    public void Edit_distance(string a, string b, int expected) => Assert.Equal(expected, KbSearchIndex.EditDistance(a, b, 3));
}
