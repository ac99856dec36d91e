using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;
using BotEngine.Storage.Knowledge;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests;

/// <summary>The knowledge base editor API, import/export and search against real engines.</summary>
public sealed class KbApiTests
{
    private static readonly string DemoKbPath = Path.Combine(AppContext.BaseDirectory, "training-data", "demo-kb.json");

    [Fact]
    public void Demo_kb_passes_the_strict_parser_and_the_validator()
    {
        var json = File.ReadAllText(DemoKbPath);
        var change = KbImport.Import(new KbDocument(), json, replace: true);
        Assert.True(change.Succeeded, string.Join("\n", change.Errors));
        Assert.Contains(change.Document!.Articles, a => a.Id == "card_block_form_ru" && a.Slots.Count == 2);
        Assert.Contains(change.Document!.Articles, a => a.Id == "card_block_form_en" && a.Slots.Count == 2);
    }

    [Fact]
    public async Task An_english_search_in_other_words_finds_the_article_by_meaning_and_a_new_one_as_soon_as_it_is_embedded()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        async Task<List<string>> SearchAsync(string q, string extra = "") =>
            (await api.GetFromJsonAsync<JsonArray>("/api/v1/kb/search?q=" + Uri.EscapeDataString(q) + extra))!
                .Select(h => h!["articleId"]!.GetValue<string>()).ToList();
        var index = engine.Services.GetRequiredService<KbSearchIndex>();
        async Task EmbeddedAsync()
        {
            // the demo KB is embedded in the background after the start, a saved article after its save
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (index.Semantic!.PendingCount > 0 && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            Assert.Equal(0, index.Semantic.PendingCount);
        }

        // by words "smartphone application download" finds the statements article first (on "download")
        const string query = "smartphone application download";
        Assert.NotEqual("mobile_app_en", index.Search(query, byMeaning: false)[0].ArticleId);
        await EmbeddedAsync();
        Assert.Equal("mobile_app_en", (await SearchAsync(query))[0]);
        // the filters hold for what is found by meaning; a Russian query is searched by words as before
        Assert.DoesNotContain("mobile_app_en", await SearchAsync(query, "&language=ru"));
        Assert.Equal("cashback_ru", (await SearchAsync("кешбэк"))[0]);

        var saved = await PutJsonAsync(api, "/api/v1/kb/articles/lounge_en", """
            { "title": "Airport lounges", "questions": ["Can I use the airport lounge with my card?"], "access": { "languages": ["en"] },
              "answers": [ { "text": "Premium cards include two visits a year." } ] }
            """);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.DoesNotContain("lounge_en", index.Search("VIP area in terminals before boarding", byMeaning: false).Select(h => h.ArticleId));
        await EmbeddedAsync();
        Assert.Equal("lounge_en", (await SearchAsync("VIP area in terminals before boarding"))[0]);
    }

    [Fact]
    public async Task An_unknown_search_encoder_stops_the_start_naming_the_setting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => EngineHost.StartAsync(StorageKind.Sqlite, "--Knowledge:SearchEncoder=bert"));
        Assert.Contains("Knowledge:SearchEncoder", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Articles_are_created_validated_searched_and_deleted(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage);
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());

        // Missing identifier, button to a missing article, unknown field: 400 naming the field.
        var noId = await api.PostAsJsonAsync("/api/v1/kb/articles", new { title = "Без идентификатора", answers = new[] { new { text = "x" } } });
        await AssertProblemAsync(noId, HttpStatusCode.BadRequest, "id");
        var badButton = await PostJsonAsync(api, "/api/v1/kb/articles", """
            { "id": "пополнение_вклада", "title": "Пополнение вклада", "answers": [ { "text": "Пополнить вклад можно в приложении.", "buttons": [ { "label": "Далее", "article": "нет_такой" } ] } ] }
            """);
        await AssertProblemAsync(badButton, HttpStatusCode.BadRequest, "answers[0].buttons[0].article");
        var unknownField = await PostJsonAsync(api, "/api/v1/kb/articles", """{ "id": "x1", "title": "t", "colour": "red" }""");
        await AssertProblemAsync(unknownField, HttpStatusCode.BadRequest, "colour");

        // A Cyrillic identifier; the topic is created from the article form.
        var created = await PostJsonAsync(api, "/api/v1/kb/articles", """
            { "id": "пополнение_вклада", "title": "Пополнение вклада", "recordType": "KB", "topics": ["вклады_2"],
              "questions": ["Как пополнить вклад онлайн?"],
              "answers": [ { "text": "Пополнить вклад можно в приложении: «Вклады» → «Пополнить». Минимальная сумма — 1000 ₽." } ] }
            """);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PostJsonAsync(api, "/api/v1/kb/articles", """{ "id": "пополнение_вклада", "title": "again", "answers": [ { "text": "x" } ] }""")).StatusCode);
        var topics = (await api.GetFromJsonAsync<JsonArray>("/api/v1/kb/topics"))!;
        Assert.Contains(topics, t => t!["id"]!.GetValue<string>() == "вклады_2");

        // Searchable at once, with Russian morphology and a typo, filtered by record type.
        var hits = (await api.GetFromJsonAsync<JsonArray>("/api/v1/kb/search?q=" + Uri.EscapeDataString("пополнении вкладов") + "&recordType=KB"))!;
        Assert.Equal("пополнение_вклада", hits[0]!["articleId"]!.GetValue<string>());
        var typo = (await api.GetFromJsonAsync<JsonArray>("/api/v1/kb/search?q=" + Uri.EscapeDataString("папалнение вклада")))!;
        Assert.Contains(typo, h => h!["articleId"]!.GetValue<string>() == "пополнение_вклада");
        var otherType = (await api.GetFromJsonAsync<JsonArray>("/api/v1/kb/search?q=" + Uri.EscapeDataString("пополнение вклада") + "&recordType=QA"))!;
        Assert.DoesNotContain(otherType, h => h!["articleId"]!.GetValue<string>() == "пополнение_вклада");
        var suggestions = (await api.GetFromJsonAsync<JsonArray>("/api/v1/kb/suggest?q=" + Uri.EscapeDataString("Пополнение вк")))!;
        Assert.Contains(suggestions, s => s!["articleId"]?.GetValue<string>() == "пополнение_вклада");
        await AssertProblemAsync(await api.GetAsync("/api/v1/kb/search?q="), HttpStatusCode.BadRequest, "q");

        // An article refers to it: deleting it is refused and names the referrer.
        var menu = await PutJsonAsync(api, "/api/v1/kb/articles/меню_вкладов", """
            { "title": "Меню вкладов", "answers": [ { "text": "Что вас интересует?", "buttons": [ { "label": "Пополнение", "article": "пополнение_вклада" } ] } ] }
            """);
        Assert.Equal(HttpStatusCode.OK, menu.StatusCode);
        var refused = await api.DeleteAsync("/api/v1/kb/articles/пополнение_вклада");
        await AssertProblemAsync(refused, HttpStatusCode.Conflict, "buttons[0].article");
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/kb/articles/меню_вкладов")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/kb/articles/пополнение_вклада")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/kb/articles/пополнение_вклада")).StatusCode);
        Assert.DoesNotContain((await api.GetFromJsonAsync<JsonArray>("/api/v1/kb/search?q=" + Uri.EscapeDataString("пополнение вклада")))!,
            h => h!["articleId"]!.GetValue<string>() == "пополнение_вклада");

        // The other entities: a slot, a record type, an agent, a calendar.
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync(api, "/api/v1/kb/slots", """{ "id": "city", "name": "Город", "type": "text", "question": { "text": "Ваш город?" } }""")).StatusCode);
        await AssertProblemAsync(await PostJsonAsync(api, "/api/v1/kb/slots", """{ "id": "bad slot", "name": "x", "type": "text", "question": { "text": "?" } }"""), HttpStatusCode.BadRequest, "id");
        await AssertProblemAsync(await PostJsonAsync(api, "/api/v1/kb/slots", """{ "id": "s2", "name": "x", "type": "colour" }"""), HttpStatusCode.BadRequest, "type");
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync(api, "/api/v1/kb/record-types", """{ "id": "FAQ", "name": "Частые вопросы" }""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync(api, "/api/v1/kb/agents", """{ "id": "crm", "name": "CRM", "url": "https://crm.example.org/hook", "secret": "0123456789abcdef" }""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutJsonAsync(api, "/api/v1/kb/calendars/*", """{ "timeZone": "Europe/Moscow", "week": [ { "day": "monday", "from": "09:00", "to": "18:00" } ] }""")).StatusCode);
        var calendar = (await api.GetFromJsonAsync<JsonObject>("/api/v1/kb/calendars/*"))!;
        Assert.Equal("Europe/Moscow", calendar["timeZone"]!.GetValue<string>());

        var export = await api.GetStringAsync("/api/v1/kb/export");
        Assert.Contains("\"crm\"", export, StringComparison.Ordinal);
        Assert.DoesNotContain("пополнение_вклада", export, StringComparison.Ordinal);

        // Without the permission, no edits.
        var created2 = await api.PostAsJsonAsync("/api/v1/operators", new { login = "viewer", password = "viewer-password", permissions = new[] { "view_kb" } });
        Assert.Equal(HttpStatusCode.Created, created2.StatusCode);
        using var viewer = engine.OperatorClient(await engine.OperatorTokenAsync("viewer", "viewer-password"));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/kb/articles/card_block_ru")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync("/api/v1/kb/articles/card_block_ru")).StatusCode);
    }

    [Fact]
    public async Task Export_import_with_replace_into_another_engine_is_lossless_and_bad_imports_change_nothing()
    {
        await using var first = await EngineHost.StartAsync(StorageKind.Sqlite);
        await using var second = await EngineHost.StartAsync(TestDatabases.PostgresBase is null ? StorageKind.Sqlite : StorageKind.Postgres);
        using var a = first.OperatorClient(await first.OperatorTokenAsync());
        using var b = second.OperatorClient(await second.OperatorTokenAsync());

        // Make the first engine's KB use every kind of entity, then carry it over.
        var merged = await PostJsonAsync(a, "/api/v1/kb/import", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KbFixtures", "extras.json")));
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        var exported = await a.GetStringAsync("/api/v1/kb/export");
        // Agents' secrets are write-only: the export shows a placeholder, which the other engine cannot use as a secret.
        var refused = await PostJsonAsync(b, "/api/v1/kb/import?replace=true", exported);
        await AssertProblemAsync(refused, HttpStatusCode.BadRequest, "secret");
        var replaced = await PostJsonAsync(b, "/api/v1/kb/import?replace=true",
            exported.Replace($"\"{KbSecrets.Placeholder}\"", "\"secret-set-on-the-new-engine\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(exported, await b.GetStringAsync("/api/v1/kb/export"));
        foreach (var kind in new[] { "slots", "agents", "calendars", "topics", "articles" })
            Assert.NotEmpty(JsonNode.Parse(exported)![kind]!.AsArray());

        // Malformed JSON, an unknown field, a dangling reference: 400 naming the problem, and the KB is unchanged.
        await AssertProblemAsync(await PostJsonAsync(b, "/api/v1/kb/import?replace=true", "{ \"articles\": [ "), HttpStatusCode.BadRequest, "line");
        await AssertProblemAsync(await PostJsonAsync(b, "/api/v1/kb/import", """{ "articles": [ { "id": "a1", "title": "t", "answerz": [] } ] }"""), HttpStatusCode.BadRequest, "answerz");
        await AssertProblemAsync(await PostJsonAsync(b, "/api/v1/kb/import?replace=true", """
            { "articles": [ { "id": "a1", "title": "t", "answers": [ { "text": "x", "buttons": [ { "label": "l", "article": "nowhere" } ] } ] } ] }
            """), HttpStatusCode.BadRequest, "articles[0].answers[0].buttons[0].article");
        Assert.Equal(exported, await b.GetStringAsync("/api/v1/kb/export"));

        // What a restart would load from storage is the same document, with the secret given at import.
        var stored = await second.Services.GetRequiredService<KbStore>().LoadAsync(CancellationToken.None);
        Assert.Equal(exported, KbJson.Write(KbSecrets.Redact(stored!.Document)));
        Assert.All(stored.Document.Agents, agent => Assert.Equal("secret-set-on-the-new-engine", agent.Secret));
    }

    [Fact]
    public async Task A_new_article_is_answered_in_the_chat_at_once_and_by_the_retrained_classifier_soon()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        var put = await PutJsonAsync(api, "/api/v1/kb/articles/gold_coins_ru", """
            { "title": "Инвестиционные монеты", "access": { "languages": ["ru"] },
              "questions": ["Можно ли купить золотые монеты?", "Продаёте инвестиционные монеты из золота", "Где купить монету из серебра", "Хочу вложиться в драгоценные монеты"],
              "answers": [ { "text": "Инвестиционные монеты продаются в отделениях с кассой пересчёта." } ] }
            """);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        var exact = await chat.SendAsync("Можно ли купить золотые монеты?");
        var reply = await chat.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == exact);
        Assert.Equal("Инвестиционные монеты продаются в отделениях с кассой пересчёта.", DirectLineClient.Text(reply));

        await Eventually.WaitAsync(async () =>
        {
            var status = (await api.GetFromJsonAsync<JsonObject>("/api/v1/kb/status"))!;
            return status["classifierRevision"]!.GetValue<long>() == status["revision"]!.GetValue<long>() ? true : (bool?)null;
        }, TimeSpan.FromSeconds(60));
        var classify = await api.PostAsJsonAsync("/api/v1/nlu/classify", new { text = "продаёте золотые монеты?" });
        var intents = (await classify.Content.ReadFromJsonAsync<JsonObject>())!["intents"]!.AsArray();
        Assert.Equal("gold_coins_ru", intents[0]!["intent"]!.GetValue<string>());
    }

    internal static Task<HttpResponseMessage> PostJsonAsync(HttpClient api, string url, string json) =>
        api.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    internal static Task<HttpResponseMessage> PutJsonAsync(HttpClient api, string url, string json) =>
        api.PutAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string mentioned)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Contains(mentioned, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
