using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Engine.Knowledge;
using Microsoft.Extensions.DependencyInjection;
using static BotEngine.Bot.Tests.KbApiTests;

namespace BotEngine.Bot.Tests;

/// <summary>The KB editor page's API: the paged articles table, the phrasing check and "test the bot", against real engines.</summary>
public sealed class KbEditorApiTests
{
    private static readonly StringComparer Titles = StringComparer.Create(CultureInfo.InvariantCulture, ignoreCase: true);

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Articles_are_paged_sorted_filtered_and_searched(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage);
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        var kb = engine.Services.GetRequiredService<KnowledgeRuntime>().Document;

        // Without paging parameters the list is the whole array of articles, as callers had it before paging.
        var all = (await api.GetFromJsonAsync<JsonArray>("/api/v1/kb/articles"))!;
        Assert.Equal(kb.Articles.Count, all.Count);
        Assert.NotNull(all[0]!["answers"]);

        // Paging by title through every article: each once, in title order, the total on every page.
        var byTitle = await AllPagesAsync(api, "sort=title&limit=7");
        Assert.Equal(kb.Articles.Count, byTitle.Count);
        Assert.Equal(byTitle.Count, byTitle.Select(r => Id(r)).Distinct().Count());
        for (var i = 1; i < byTitle.Count; i++)
            Assert.True(Titles.Compare(Title(byTitle[i - 1]), Title(byTitle[i])) <= 0, $"{Title(byTitle[i - 1])} before {Title(byTitle[i])}");
        var descending = await AllPagesAsync(api, "sort=-title&limit=50");
        Assert.Equal(byTitle.Select(r => Id(r)).Reverse(), descending.Select(r => Id(r)));

        // An article saved while someone pages is neither repeated nor skipped: the cursor continues after the last one shown.
        var first = await PageAsync(api, "sort=id&limit=5");
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync(api, "/api/v1/kb/articles", """
            { "id": "aaa_first", "title": "Первая по алфавиту", "questions": ["Самая первая статья"], "answers": [ { "text": "Да." } ] }
            """)).StatusCode);
        var second = await PageAsync(api, "sort=id&limit=5&cursor=" + Uri.EscapeDataString(first["nextCursor"]!.GetValue<string>()));
        var expectedNext = kb.Articles.Select(a => a.Id).Order(StringComparer.Ordinal).SkipWhile(id => id != Id(first["items"]![4]!)).Skip(1).First();
        Assert.Equal(expectedNext, Id(second["items"]![0]!));
        Assert.Equal(kb.Articles.Count + 1, second["total"]!.GetValue<int>());

        // The most recently changed article comes first by "-updated".
        Assert.Equal(HttpStatusCode.OK, (await PutJsonAsync(api, "/api/v1/kb/articles/aaa_first", """
            { "title": "Первая, изменённая", "questions": ["Самая первая статья"], "answers": [ { "text": "Да." } ] }
            """)).StatusCode);
        Assert.Equal("aaa_first", Id((await PageAsync(api, "sort=-updated&limit=3"))["items"]![0]!));

        // Filters follow the articles' settings.
        var kbType = await AllPagesAsync(api, "recordType=KB&limit=200");
        Assert.Equal(kb.Articles.Count(a => a.RecordType == "KB"), kbType.Count);
        var withSlots = await AllPagesAsync(api, "hasSlots=true");
        Assert.Contains(withSlots, r => Id(r) == "card_block_form_ru");
        Assert.All(withSlots, r => Assert.True(r["hasSlots"]!.GetValue<bool>()));
        var english = await AllPagesAsync(api, "language=en&limit=200");
        Assert.DoesNotContain(english, r => Id(r) == "card_block_ru");
        Assert.Contains(english, r => Id(r) == "card_block_en");
        Assert.Contains(await AllPagesAsync(api, "topic=" + Uri.EscapeDataString("Карты")), r => Id(r) == "card_block_ru");
        Assert.Empty(await AllPagesAsync(api, "redirectsToAgent=true"));
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync(api, "/api/v1/kb/agents", """{ "id": "crm", "name": "CRM", "url": "https://crm.example.org/hook", "secret": "0123456789abcdef" }""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync(api, "/api/v1/kb/articles", """
            { "id": "к_агенту", "title": "Агенту", "questions": ["Соедините с CRM"], "answers": [ { "text": "/redirect crm" } ] }
            """)).StatusCode);
        var redirecting = await AllPagesAsync(api, "redirectsToAgent=true");
        Assert.Equal("к_агенту", Id(Assert.Single(redirecting)));
        Assert.Equal("crm", redirecting[0]["redirectsTo"]!.GetValue<string>());

        // Search as you type: the existing search ranks, best first, with its score.
        var found = await PageAsync(api, "q=" + Uri.EscapeDataString("заблокировать карту") + "&limit=5");
        Assert.Equal("relevance", found["sort"]!.GetValue<string>());
        Assert.Equal("card_block_ru", Id(found["items"]![0]!));
        Assert.True(found["items"]![0]!["score"]!.GetValue<double>() > 0);
        var searchedByTitle = await AllPagesAsync(api, "q=" + Uri.EscapeDataString("карта") + "&sort=title&recordType=QA");
        Assert.NotEmpty(searchedByTitle);
        Assert.All(searchedByTitle, r => Assert.Equal("QA", r["recordType"]!.GetValue<string>()));

        // A search asked again after a save sees the saved article (pages of one search share its scores until a change).
        var query = "q=" + Uri.EscapeDataString("заблокировать карту") + "&limit=200";
        Assert.DoesNotContain((await PageAsync(api, query))["items"]!.AsArray(), r => Id(r!) == "card_block_again");
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync(api, "/api/v1/kb/articles", """
            { "id": "card_block_again", "title": "Заблокировать карту повторно", "questions": ["Как заблокировать карту ещё раз"], "answers": [ { "text": "Так же." } ] }
            """)).StatusCode);
        Assert.Contains((await PageAsync(api, query))["items"]!.AsArray(), r => Id(r!) == "card_block_again");
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/kb/articles/card_block_again")).StatusCode);
        Assert.DoesNotContain((await PageAsync(api, query))["items"]!.AsArray(), r => Id(r!) == "card_block_again");
    }

    [Fact]
    public async Task Bad_paging_parameters_are_refused_naming_the_parameter()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        foreach (var (query, named) in new[]
        {
            ("limit=0", "limit"), ("limit=201", "limit"), ("limit=abc", "limit"), ("limit=-5", "limit"),
            ("sort=name", "sort"), ("sort=--id", "sort"), ("sort=relevance", "sort"),
            ("hasSlots=yes", "hasSlots"), ("redirectsToAgent=1", "redirectsToAgent"),
            ("cursor=not-a-cursor", "cursor"), ("cursor=" + new string('%', 3), "cursor"),
        })
            await AssertProblemAsync(await api.GetAsync("/api/v1/kb/articles?" + query), HttpStatusCode.BadRequest, named);

        // A cursor belongs to its query: with another sort it is refused rather than misread.
        var page = await PageAsync(api, "sort=id&limit=2");
        var cursor = Uri.EscapeDataString(page["nextCursor"]!.GetValue<string>());
        await AssertProblemAsync(await api.GetAsync($"/api/v1/kb/articles?sort=title&limit=2&cursor={cursor}"), HttpStatusCode.BadRequest, "cursor");
        // The limit may change between pages.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/kb/articles?sort=id&limit=9&cursor={cursor}")).StatusCode);
    }

    [Fact]
    public async Task Phrasing_check_flags_repeats_and_phrasings_of_other_articles()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        var lost = engine.Services.GetRequiredService<KnowledgeRuntime>().Document.Articles.Single(a => a.Id == "card_lost_ru");

        var response = await api.PostAsJsonAsync("/api/v1/kb/phrasing-check", new
        {
            articleId = "card_block_ru",
            questions = new[] { "Как заблокировать карту?", "", "как  ЗАБЛОКИРОВАТЬ карту", lost.Questions[0].ToUpperInvariant() + "!", "Совсем новая фраза про карту" },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var issues = (await response.Content.ReadFromJsonAsync<JsonArray>())!;
        Assert.Equal(2, issues.Count);
        // The article's own saved phrasings are not "another article's".
        Assert.Equal(2, issues[0]!["index"]!.GetValue<int>());
        Assert.Equal(0, issues[0]!["duplicateOf"]!.GetValue<int>());
        Assert.Null(issues[0]!["articleId"]);
        Assert.Equal(3, issues[1]!["index"]!.GetValue<int>());
        Assert.Equal("card_lost_ru", issues[1]!["articleId"]!.GetValue<string>());
        Assert.Equal(lost.Title, issues[1]!["articleTitle"]!.GetValue<string>());

        // For a new article every saved phrasing belongs to another one.
        var fresh = (await (await api.PostAsJsonAsync("/api/v1/kb/phrasing-check", new { questions = new[] { "Как заблокировать карту?" } }))
            .Content.ReadFromJsonAsync<JsonArray>())!;
        Assert.Equal("card_block_ru", Assert.Single(fresh)!["articleId"]!.GetValue<string>());

        await AssertProblemAsync(await PostJsonAsync(api, "/api/v1/kb/phrasing-check", """{ "questions": "one" }"""), HttpStatusCode.BadRequest, "questions");
        await AssertProblemAsync(await PostJsonAsync(api, "/api/v1/kb/phrasing-check", ""), HttpStatusCode.BadRequest, "$");
    }

    [Fact]
    public async Task Test_the_bot_explains_the_choice_on_the_saved_kb_and_on_a_draft_without_storing_it()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        var revision = (await api.GetFromJsonAsync<JsonObject>("/api/v1/kb/status"))!["revision"]!.GetValue<long>();

        // An exact phrasing: its article, whatever the classifier says; the classifier's top three are listed.
        var exact = await TrialAsync(api, new { text = "Как заблокировать карту?", language = "ru" });
        Assert.Equal("card_block_ru", exact["chosenArticleId"]!.GetValue<string>());
        Assert.Equal("exact_phrasing", exact["reason"]!.GetValue<string>());
        Assert.Equal(3, exact["top"]!.AsArray().Count);
        Assert.Contains("бесплатно", exact["messages"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);

        // A paraphrase: chosen by the classifier's confidence, at or above the threshold.
        var paraphrase = await TrialAsync(api, new { text = "хочу заблочить свою карточку срочно", language = "ru" });
        Assert.Equal("confident", paraphrase["reason"]!.GetValue<string>());
        Assert.False(paraphrase["exactPhrasing"]!.GetValue<bool>());
        var best = paraphrase["top"]![0]!;
        Assert.Equal(best["articleId"]!.GetValue<string>(), paraphrase["chosenArticleId"]!.GetValue<string>());
        Assert.Equal("chosen", best["verdict"]!.GetValue<string>());
        Assert.True(best["confidence"]!.GetValue<double>() >= paraphrase["threshold"]!.GetValue<double>());

        // Nothing the KB knows: no article, every candidate explained, the fallback text as the answer.
        var unknown = await TrialAsync(api, new { text = "какая погода на марсе", language = "ru" });
        Assert.Null(unknown["chosenArticleId"]);
        Assert.Contains(unknown["reason"]!.GetValue<string>(), new[] { "below_threshold", "out_of_scope" });
        Assert.All(unknown["top"]!.AsArray(), c => Assert.Contains(c!["verdict"]!.GetValue<string>(), new[] { "below_threshold", "out_of_scope" }));
        Assert.Single(unknown["messages"]!.AsArray());

        // An unsaved draft: its phrasing is matched exactly (the classifier has not seen it), and nothing is stored.
        var draft = await TrialAsync(api, new
        {
            text = "Погода на Марсе",
            language = "ru",
            draft = new { id = "погода_марс", title = "Погода на Марсе", questions = new[] { "погода на марсе" }, answers = new[] { new { text = "Холодно, −60 °C." } } },
        });
        Assert.Equal("погода_марс", draft["chosenArticleId"]!.GetValue<string>());
        Assert.Equal("exact_phrasing", draft["reason"]!.GetValue<string>());
        Assert.False(draft["classifierCurrent"]!.GetValue<bool>());
        Assert.Equal("Холодно, −60 °C.", draft["messages"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/kb/articles/" + Uri.EscapeDataString("погода_марс"))).StatusCode);
        Assert.Equal(revision, (await api.GetFromJsonAsync<JsonObject>("/api/v1/kb/status"))!["revision"]!.GetValue<long>());

        // A new article can be tried before it has an identifier.
        var unnamed = await TrialAsync(api, new
        {
            text = "Погода на Марсе",
            draft = new { title = "Погода на Марсе", questions = new[] { "погода на марсе" }, answers = new[] { new { text = "Холодно." } } },
        });
        Assert.Equal("Погода на Марсе", unnamed["chosenTitle"]!.GetValue<string>());

        // The access filter: a draft for English clients is not offered in a Russian dialog.
        var refused = await TrialAsync(api, new
        {
            text = "Погода на Марсе",
            language = "ru",
            draft = new { id = "погода_марс", title = "Mars weather", access = new { languages = new[] { "en" } }, questions = new[] { "погода на марсе" }, answers = new[] { new { text = "Cold." } } },
        });
        Assert.Null(refused["chosenArticleId"]);
        Assert.Equal("not_offered", refused["reason"]!.GetValue<string>());

        // A scenario goes on with the state the previous trial returned, and the slot value shows.
        var form = engine.Services.GetRequiredService<KnowledgeRuntime>().Document.Articles.Single(a => a.Id == "card_block_form_ru");
        var started = await TrialAsync(api, new { text = form.Questions[0], language = "ru" });
        Assert.Equal("card_block_form_ru", started["chosenArticleId"]!.GetValue<string>());
        Assert.Equal("card_block_form_ru", started["state"]!["scenario"]!["articleId"]!.GetValue<string>());
        var answered = await TrialAsync(api, new { text = "заканчивается на 4321", language = "ru", state = started["state"] });
        Assert.Equal("scenario", answered["reason"]!.GetValue<string>());
        Assert.Equal("4321", answered["slots"]!["card_last4_ru"]!.GetValue<string>());

        // Bad input names the field; a draft's validation errors are under "draft.".
        await AssertProblemAsync(await PostJsonAsync(api, "/api/v1/kb/trial", "{}"), HttpStatusCode.BadRequest, "text");
        await AssertProblemAsync(await api.PostAsJsonAsync("/api/v1/kb/trial", new { text = new string('a', 4001) }), HttpStatusCode.BadRequest, "text");
        await AssertProblemAsync(await api.PostAsJsonAsync("/api/v1/kb/trial", new { text = "x", language = "" }), HttpStatusCode.BadRequest, "language");
        await AssertProblemAsync(await PostJsonAsync(api, "/api/v1/kb/trial", """
            { "text": "x", "draft": { "id": "d1", "title": "t", "answers": [ { "text": "x", "buttons": [ { "label": "l", "article": "нет_такой" } ] } ] } }
            """), HttpStatusCode.BadRequest, "draft.answers[0].buttons[0].article");
        await AssertProblemAsync(await PostJsonAsync(api, "/api/v1/kb/trial", """{ "text": "x", "colour": "red" }"""), HttpStatusCode.BadRequest, "colour");
        // Nulls where the runner expects values are refused up front, never a 500 from inside the runner.
        await AssertProblemAsync(await PostJsonAsync(api, "/api/v1/kb/trial", """{ "text": "x", "state": { "recentTexts": [null] } }"""), HttpStatusCode.BadRequest, "state.recentTexts[0]");
        await AssertProblemAsync(await PostJsonAsync(api, "/api/v1/kb/trial", """{ "text": "x", "state": { "slots": { "city": null } } }"""), HttpStatusCode.BadRequest, "state.slots.city");
        await AssertProblemAsync(await PostJsonAsync(api, "/api/v1/kb/trial", """{ "text": "x", "draft": { "id": "d1", "title": "t", "questions": [null], "answers": [ { "text": "x" } ] } }"""),
            HttpStatusCode.BadRequest, "draft.questions[0]");
        await AssertProblemAsync(await PostJsonAsync(api, "/api/v1/kb/articles", """{ "id": "d1", "title": "t", "answers": [ null ] }"""), HttpStatusCode.BadRequest, "answers[0]");
    }

    [Fact]
    public async Task Readers_may_list_check_and_test_but_not_change_and_others_get_nothing()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        foreach (var (login, permissions) in new[] { ("reader", new[] { "view_kb" }), ("agentless", new[] { "handle_dialogs" }) })
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/operators", new { login, password = "password-" + login, permissions })).StatusCode);
        using var reader = engine.OperatorClient(await engine.OperatorTokenAsync("reader", "password-reader"));
        using var other = engine.OperatorClient(await engine.OperatorTokenAsync("agentless", "password-agentless"));

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/kb/articles?limit=5")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.PostAsJsonAsync("/api/v1/kb/phrasing-check", new { questions = new[] { "карта" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.PostAsJsonAsync("/api/v1/kb/trial", new { text = "Как заблокировать карту?" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutJsonAsync(reader, "/api/v1/kb/articles/card_block_ru", """{ "title": "x", "answers": [ { "text": "x" } ] }""")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/v1/kb/articles?limit=5")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/v1/kb/phrasing-check", new { questions = new[] { "карта" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/v1/kb/trial", new { text = "карта" })).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = engine.BaseUri };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/kb/articles?limit=5")).StatusCode);
    }

    private static string Id(JsonNode row) => row["id"]!.GetValue<string>();

    private static string Title(JsonNode row) => row["title"]!.GetValue<string>();

    private static async Task<JsonObject> PageAsync(HttpClient api, string query)
    {
        var response = await api.GetAsync("/api/v1/kb/articles?" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Follows the cursors to the last page; every page reports the same total.</summary>
    private static async Task<List<JsonNode>> AllPagesAsync(HttpClient api, string query)
    {
        var rows = new List<JsonNode>();
        string? cursor = null;
        int? total = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await PageAsync(api, cursor is null ? query : $"{query}&cursor={Uri.EscapeDataString(cursor)}");
            total ??= page["total"]!.GetValue<int>();
            Assert.Equal(total, page["total"]!.GetValue<int>());
            rows.AddRange(page["items"]!.AsArray().Select(r => r!.DeepClone()));
            cursor = page["nextCursor"]?.GetValue<string>();
            if (cursor is null)
            {
                Assert.Equal(total, rows.Count);
                return rows;
            }
        }
        throw new InvalidOperationException($"{query}: more than 100 pages");
    }

    private static async Task<JsonObject> TrialAsync(HttpClient api, object body)
    {
        var response = await api.PostAsJsonAsync("/api/v1/kb/trial", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
