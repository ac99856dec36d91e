using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Engine.Knowledge;
using BotEngine.Storage;
using BotEngine.Storage.Learning;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Flow;

/// <summary>
/// The learning loop end to end in process: misses reach the labelling inbox, labels train a model through the API's
/// Hangfire job, the gate promotes it and the bot answers with it; a candidate trained on scrambled labels is rejected.
/// Serial: in one full run (2026-11-30) the PostgreSQL case's training job failed twice in a way that points at
/// another engine's services, built and disposed by a test running beside it ("knowledge base not loaded", then a
/// disposed service provider), and Hangfire's retries outlasted the wait. Alone it passes; the cause is not found.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class LearningLoopTests
{
    private const string CardAnswer = "Your card is blocked; a new one is on its way.";
    // A topic the demo KB does not cover: its classifier's best guess for each stays below the answer threshold (0.35).
    private static readonly string[] Misses = ["snow tires", "snow tyres", "studded snow tires", "snow tires sale"];
    // Words of the labelled misses in an order none of them has: only a trained model answers it.
    private const string Unlabelled = "studded snow tyres";

    /// <summary>A small English KB, so cross-validated trainings take milliseconds.</summary>
    private const string Kb = """
        {
          "settings": { "fallbackText": { "en": "Sorry, I did not get that." } },
          "articles": [
            { "id": "card_lost", "title": "Lost card", "questions": ["I lost my card", "my card was stolen", "block my card", "I can't find my bank card", "my debit card is missing", "freeze my card"],
              "answers": [ { "text": "Your card is blocked; a new one is on its way." } ] },
            { "id": "rates", "title": "Exchange rates", "questions": ["what is the exchange rate", "dollar rate today", "euro exchange rate", "currency rates", "how much is a dollar", "rate for converting euros"],
              "answers": [ { "text": "Rates are on our site." } ] },
            { "id": "hours", "title": "Opening hours", "questions": ["when are you open", "opening hours", "what time does the branch open", "working hours of the office", "are you open on sunday", "when do you close"],
              "answers": [ { "text": "We are open 9 to 18." } ] },
            { "id": "transfer", "title": "Transfers", "questions": ["how to send money", "transfer money to a friend", "send a payment to another account", "make a bank transfer", "wire funds abroad", "pay someone by phone number"],
              "answers": [ { "text": "Use Transfers in the app." } ] }
          ]
        }
        """;

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Labelled_misses_train_a_promoted_model_that_answers_them(StorageKind storage)
    {
        // The demo KB (74 articles, 933 phrasings): a classifier trained on it says "I don't know" to words it never saw.
        await using var engine = await FlowEngine.StartAsync(storage, "--Learning:CrossValidationFolds=2");
        using var admin = await engine.OperatorAsync();
        var kb = engine.Services.GetRequiredService<KnowledgeRuntime>().Runner.Kb;
        var fallback = kb.Settings.FallbackText["en"];
        var cardLost = kb.Articles.Single(a => a.Id == "card_lost_en").Answers[0].Text;

        // Four clients write what the KB has no words for (one text twice): the bot does not understand.
        var sent = new List<string>();
        for (var i = 0; i < Misses.Length + 1; i++)
        {
            var client = engine.Client("learner-" + i);
            var receipt = await client.SendAsync(Misses[i % Misses.Length]);
            await client.WaitForTurnAsync(receipt.MessageId);
            Assert.Equal(fallback, (await AnswerAsync(client)).Text);
            sent.Add(receipt.MessageId);
        }

        var inbox = await admin.GetFromJsonAsync<JsonObject>("/api/v1/labelling/inbox?language=en");
        var groups = inbox!["groups"]!.AsArray();
        Assert.Equal(4, groups.Count);
        var repeated = groups.Single(g => g!["text"]!.GetValue<string>() == Misses[0])!;
        Assert.Equal(2, repeated["count"]!.GetValue<int>());
        var scores = groups.Select(g => g!["score"]!.GetValue<double>()).ToList();
        Assert.Equal(scores.OrderByDescending(x => x), scores); // ranked by frequency x uncertainty
        Assert.Same(repeated, groups[0]); // the text two clients wrote ranks first

        // Bad input is a 400 naming the field, and labels nothing.
        await AssertBadRequestAsync(admin, new { messageIds = sent, articleId = "no_such" }, "articleId");
        await AssertBadRequestAsync(admin, new { messageIds = sent, articleId = "card_lost_en", outOfScope = true }, "articleId");
        await AssertBadRequestAsync(admin, new { messageIds = Array.Empty<string>(), articleId = "card_lost_en" }, "messageIds");
        await AssertBadRequestAsync(admin, new { messageIds = new[] { sent[0], "nope" }, articleId = "card_lost_en" }, "messageIds[1]");

        var labelled = await admin.PostAsJsonAsync("/api/v1/nlu/labels", new { messageIds = sent, articleId = "card_lost_en" });
        Assert.Equal(HttpStatusCode.Created, labelled.StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<JsonObject>("/api/v1/labelling/inbox"))!["groups"]!.AsArray());
        await AssertBadRequestAsync(admin, new { messageIds = new[] { sent[0] }, articleId = "card_lost_en" }, "messageIds[0]"); // labelled already
        // A labelled text answers at once (exact match); a text the labels do not contain waits for the training.
        Assert.Equal(cardLost, await AskAsync(engine, "before-training-1", "Snow tires!"));
        Assert.Equal(fallback, await AskAsync(engine, "before-training-2", Unlabelled));

        var model = await TrainAsync(engine, admin);
        Assert.True(model["status"]!.GetValue<string>() == "promoted", model["reason"]!.GetValue<string>());
        Assert.Equal(5, model["labelledExamples"]!.GetValue<int>());

        Assert.Equal(cardLost, await AskAsync(engine, "after-training", Unlabelled));
        // The report names what changed per intent against the live model, worst first.
        var intents = model["metrics"]!["intents"]!.AsArray();
        Assert.Contains(intents, i => i!["intent"]!.GetValue<string>() == "card_lost_en" && i["support"]!.GetValue<int>() > 0);
        var deltas = intents.Select(i => i!["delta"]!.GetValue<double>()).ToList();
        Assert.Equal(deltas.Order(), deltas);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_training_job_runs_in_the_engine_that_started_it_when_another_engine_was_built_after_it(StorageKind storage)
    {
        // Hangfire keeps one activator per process; an engine's job server must use its own services all the same.
        await using var first = await FlowEngine.StartAsync(storage);
        using var firstAdmin = await first.OperatorAsync();
        await ImportAsync(firstAdmin);
        await using var second = await FlowEngine.StartAsync(storage);
        using var secondAdmin = await second.OperatorAsync();

        var model = await TrainAsync(first, firstAdmin);
        Assert.Equal("api", model["trigger"]!.GetValue<string>());
        Assert.Empty((await secondAdmin.GetFromJsonAsync<JsonArray>("/api/v1/nlu/models"))!);
    }

    [Fact]
    public async Task A_training_started_after_another_engine_of_the_process_stopped_is_accepted_and_runs()
    {
        // Hangfire keeps one log provider per process, and every engine that starts sets it; one that stopped since
        // must not fail the others' job clients (it did: a 500 naming a disposed LoggerFactory).
        await using var first = await FlowEngine.StartAsync(StorageKind.Sqlite);
        using var admin = await first.OperatorAsync();
        await ImportAsync(admin);
        await (await FlowEngine.StartAsync(StorageKind.Sqlite)).DisposeAsync();

        var model = await TrainAsync(first, admin);
        Assert.Equal("api", model["trigger"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_typed_label_answers_at_once_not_an_intent_silences_an_article_and_a_deleted_label_is_forgotten()
    {
        await using var engine = await FlowEngine.StartAsync(StorageKind.Sqlite);
        using var admin = await engine.OperatorAsync();
        await ImportAsync(admin);
        const string Fallback = "Sorry, I did not get that.";
        Assert.NotEqual(CardAnswer, await AskAsync(engine, "c1", "snow tires for the winter"));
        Assert.Equal("Rates are on our site.", await AskAsync(engine, "c2", "dollar rate today please"));

        // Bad input is a 400 naming the field.
        await AssertBadRequestAsync(admin, new { text = " ", articleId = "card_lost" }, "text");
        await AssertBadRequestAsync(admin, new { text = "snow", messageId = "m1", articleId = "card_lost" }, "text");
        await AssertBadRequestAsync(admin, new { text = "snow", language = "de", articleId = "card_lost" }, "language");
        await AssertBadRequestAsync(admin, new { text = "snow", articleId = "no_such" }, "articleId");
        await AssertBadRequestAsync(admin, new { text = new string('x', 2001), articleId = "card_lost" }, "text");
        await AssertNamesFieldAsync(await admin.PostAsync("/api/v1/nlu/labels", new StringContent("null", Encoding.UTF8, "application/json")), "body");

        var created = await admin.PostAsJsonAsync("/api/v1/nlu/labels", new { text = "Snow tires for the winter", articleId = "card_lost" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var label = (await created.Content.ReadFromJsonAsync<JsonObject>())!["examples"]![0]!;
        Assert.Equal("en", label["language"]!.GetValue<string>());
        Assert.Equal(TrainingSources.ManualLabel, label["source"]!.GetValue<string>());
        Assert.Equal(CardAnswer, await AskAsync(engine, "c3", "snow tires for the winter!"));

        var oos = await admin.PostAsJsonAsync("/api/v1/nlu/labels", new { text = "dollar rate today please", outOfScope = true });
        Assert.Equal(HttpStatusCode.Created, oos.StatusCode);
        Assert.Equal(Fallback, await AskAsync(engine, "c4", "Dollar rate today, please!"));
        // A KB phrasing is the editors' own: a label cannot take it over.
        await admin.PostAsJsonAsync("/api/v1/nlu/labels", new { text = "opening hours", articleId = "card_lost" });
        Assert.Equal("We are open 9 to 18.", await AskAsync(engine, "c5", "opening hours"));

        var listed = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/nlu/labels"))!;
        Assert.Equal(3, listed["total"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/nlu/labels/{label["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/v1/nlu/labels/{label["id"]}")).StatusCode);
        Assert.NotEqual(CardAnswer, await AskAsync(engine, "c6", "snow tires for the winter"));
    }

    [Fact]
    public async Task A_clients_pick_in_a_did_you_mean_question_is_stored_as_a_training_example()
    {
        // An answer threshold no article reaches makes every message "unsure": the demo KB has several card articles.
        await using var engine = await FlowEngine.StartAsync(extraArgs: ["--Knowledge:MinConfidence=0.99", "--Knowledge:ClarifyMinConfidence=0.02"]);
        using var admin = await engine.OperatorAsync();
        string? picked = null;
        await engine.Flow()
            .Send("карта")
            .ExpectAnswer(r => Assert.InRange(r.Buttons.Count, 2, 3))
            .Press(b =>
            {
                picked = b.Value!["article"]!.GetValue<string>();
                return true;
            })
            .ExpectAnswer(r => Assert.NotEqual("Вы имели в виду:", r.Text));

        var example = Assert.Single((await admin.GetFromJsonAsync<JsonObject>("/api/v1/nlu/labels"))!["examples"]!.AsArray())!;
        Assert.Equal("карта", example["text"]!.GetValue<string>());
        Assert.Equal(picked, example["articleId"]!.GetValue<string>());
        Assert.Equal(TrainingSources.ClientPick, example["source"]!.GetValue<string>());
        Assert.Equal("ru", example["language"]!.GetValue<string>());
    }

    /// <summary>A new client asks; the answer's text.</summary>
    private static async Task<string?> AskAsync(FlowEngine engine, string clientName, string text)
    {
        var client = engine.Client(clientName);
        var receipt = await client.SendAsync(text);
        await client.WaitForTurnAsync(receipt.MessageId);
        return (await AnswerAsync(client)).Text;
    }

    [Fact]
    public async Task A_candidate_trained_on_scrambled_labels_is_rejected_and_the_live_model_stays()
    {
        await using var engine = await FlowEngine.StartAsync(StorageKind.Sqlite);
        using var admin = await engine.OperatorAsync();
        await ImportAsync(admin);

        // Editors' labels that contradict the KB: each article's phrasings, reworded, labelled as the next article.
        var articles = new[] { ("card_lost", new[] { "I lost my card", "my card was stolen", "block my card", "freeze my card" }),
            ("rates", ["what is the exchange rate", "dollar rate today", "euro exchange rate", "currency rates"]),
            ("hours", ["when are you open", "opening hours", "are you open on sunday", "when do you close"]),
            ("transfer", ["how to send money", "transfer money to a friend", "make a bank transfer", "wire funds abroad"]) };
        var rows = new List<TrainingExampleRow>();
        for (var i = 0; i < articles.Length; i++)
        {
            foreach (var text in articles[i].Item2)
            {
                foreach (var suffix in new[] { " please", " now", " today please" })
                    rows.Add(new TrainingExampleRow { Id = Ids.New(), Text = text + suffix, Language = "en", ArticleId = articles[(i + 1) % articles.Length].Item1,
                        Source = TrainingSources.ManualLabel, Weight = 1, CreatedBy = "test", CreatedAt = 1 });
            }
        }
        await engine.Services.GetRequiredService<TrainingExampleStore>().AddAsync(rows, CancellationToken.None);

        var model = await TrainAsync(engine, admin);
        Assert.Equal("rejected", model["status"]!.GetValue<string>());
        Assert.Contains("accuracy on KB phrasings", model["reason"]!.GetValue<string>());
        Assert.True(model["metrics"]!["candidate"]!["kbAccuracy"]!.GetValue<double>() < model["metrics"]!["live"]!["kbAccuracy"]!.GetValue<double>());

        // Two of each article's twelve distinct label texts are the frozen evaluation set: never trained on, both
        // models scored on them.
        var evaluation = model["metrics"]!["evaluation"]!;
        Assert.Equal(8, evaluation["size"]!.GetValue<int>());
        Assert.Equal(40, model["labelledExamples"]!.GetValue<int>());
        var heldOut = await HeldOutAsync(admin);
        Assert.Equal(8, heldOut.Count);
        Assert.True(evaluation["candidate"]!["inScopeAccuracy"] is not null);

        // The report: the gate's decision, its checks and the confusions, in the page's language; refusals name the problem.
        var report = await admin.GetAsync($"/api/v1/nlu/models/{model["id"]}/report?lang=ru");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("text/html", report.Content.Headers.ContentType!.MediaType);
        var html = await report.Content.ReadAsStringAsync();
        Assert.Contains("Проверку не прошла", html);
        Assert.Contains("Точность на фразах базы знаний", html);
        Assert.Contains("Отложенная оценочная выборка", html);
        Assert.Contains("Exchange rates (rates)", html); // a confusion names the article by its title
        Assert.Contains("Rejected by the gate", await admin.GetStringAsync($"/api/v1/nlu/models/{model["id"]}/report?lang=en"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/nlu/models/nope/report")).StatusCode);
        await AssertNamesFieldAsync(await admin.GetAsync($"/api/v1/nlu/models/{model["id"]}/report?lang=de"), "lang");

        // The set is stable across trainings and grows with new labels by the same rule: a fifth text of an article
        // is held out, the others train.
        var more = Enumerable.Range(0, 3).Select(i => new TrainingExampleRow { Id = Ids.New(), Text = $"what do dollars cost {i}", Language = "en",
            ArticleId = "rates", Source = TrainingSources.ManualLabel, Weight = 1, CreatedBy = "test", CreatedAt = 2 }).ToList();
        await engine.Services.GetRequiredService<TrainingExampleStore>().AddAsync(more, CancellationToken.None);
        var second = await TrainAsync(engine, admin, after: model["id"]!.GetValue<string>());
        Assert.Equal(9, second["metrics"]!["evaluation"]!["size"]!.GetValue<int>());
        Assert.Superset(heldOut, (await HeldOutAsync(admin)).ToHashSet());
        Assert.Single((await HeldOutAsync(admin)).Except(heldOut));

        // The live classifier still answers as before.
        var client = engine.Client("after-rejection");
        var ask = await client.SendAsync("my debit card is missing please");
        await client.WaitForTurnAsync(ask.MessageId);
        Assert.Equal(CardAnswer, (await AnswerAsync(client)).Text);

        // A model can still be promoted by hand (here the rejected one), and an unknown id is 404.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/nlu/models/nope/promote", null)).StatusCode);
        var promoted = await admin.PostAsync($"/api/v1/nlu/models/{model["id"]}/promote", null);
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal("promoted", (await promoted.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_article_an_operator_sends_makes_the_clients_last_message_its_example_and_the_handoff_is_in_the_inbox()
    {
        await using var engine = await FlowEngine.StartAsync(StorageKind.Sqlite);
        using var admin = await engine.OperatorAsync();
        await OperatorSteps.SetStatusAsync(admin, "online");
        var client = engine.Client("asks-a-person");
        var handoff = await client.SendAsync("Talk to a human");
        await engine.WaitAsync(async () => (await engine.DialogAsync(client.DialogId!)).OperatorId is not null, "the dialog assigned to admin");
        var question = await client.SendAsync("my snow tires are stuck in the ATM");
        await engine.WaitAsync(async () => (await engine.Database.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c,
            "SELECT COUNT(*) FROM messages WHERE id = @id", new { id = question.MessageId }), CancellationToken.None)) == 1, "the client's message stored");

        await AssertNamesFieldAsync(await admin.PostAsJsonAsync($"/api/v1/dialogs/{client.DialogId}/messages", new { text = "See this", articleId = "no_such" }), "articleId");
        var sent = await admin.PostAsJsonAsync($"/api/v1/dialogs/{client.DialogId}/messages", new { text = "Here is what to do.", articleId = "card_lost_en" });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        var examples = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/labelling/examples"))!["examples"]!.AsArray();
        var example = Assert.Single(examples)!;
        Assert.Equal("my snow tires are stuck in the ATM", example["text"]!.GetValue<string>());
        Assert.Equal("card_lost_en", example["articleId"]!.GetValue<string>());
        Assert.Equal(TrainingSources.OperatorChoice, example["source"]!.GetValue<string>());
        Assert.Equal(question.MessageId, example["messageId"]!.GetValue<string>());

        // The message the bot handed off waits in the inbox; marking its dialog CHECKED takes it out.
        var group = Assert.Single((await admin.GetFromJsonAsync<JsonObject>("/api/v1/labelling/inbox"))!["groups"]!.AsArray())!;
        Assert.Equal(handoff.MessageId, group["messageIds"]![0]!.GetValue<string>());
        Assert.Equal("handed_off", group["kinds"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/labelling/dialogs/{client.DialogId}/checked", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/labelling/dialogs/nope/checked", null)).StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<JsonObject>("/api/v1/labelling/inbox"))!["groups"]!.AsArray());
        await AssertNamesFieldAsync(await admin.GetAsync("/api/v1/labelling/inbox?from=yesterday"), "from");

        // The operator's suggestions follow the labels the bot answers with: a labelled text suggests its article first
        // (in the workplace, and in the KB search as it is typed), and "not an intent" suggests nothing.
        const string Asked = "my snow tires are stuck in the ATM";
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/nlu/labels", new { text = Asked, articleId = "hours_en" })).StatusCode);
        var suggested = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{client.DialogId}/suggestions"))!["items"]!.AsArray();
        Assert.Equal("hours_en", suggested[0]!["articleId"]!.GetValue<string>());
        Assert.Equal(1, suggested[0]!["confidence"]!.GetValue<double>());
        Assert.Equal("hours_en", (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/kb/suggest?q={Uri.EscapeDataString(Asked)}"))![0]!["articleId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/nlu/labels", new { text = Asked, outOfScope = true })).StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{client.DialogId}/suggestions"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task Recurring_jobs_follow_the_options_the_dashboard_opens_to_modify_configuration_and_sqlite_stays_the_engines_own()
    {
        await using var engine = await FlowEngine.StartAsync(StorageKind.Sqlite, "--Jobs:Schedule=true", "--Jobs:TrainingCron=15 4 * * *", "--Jobs:TimeZone=Asia/Yekaterinburg");
        using var admin = await engine.OperatorAsync();

        // The recurring jobs are registered at start with the configured cron and time zone.
        using (var connection = engine.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection())
        {
            var recurring = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).ToDictionary(j => j.Id);
            Assert.Equal("15 4 * * *", recurring["nightly-training"].Cron);
            Assert.Equal("Asia/Yekaterinburg", recurring["nightly-training"].TimeZoneId);
            Assert.Equal("30 3 * * *", recurring["housekeeping"].Cron);
            Assert.Equal(nameof(BotEngine.Engine.Learning.ModelTraining), recurring["nightly-training"].Job.Type.Name);
        }

        var page = await admin.GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Hangfire", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await engine.Http.GetAsync("/jobs")).StatusCode);
        await OperatorSteps.CreateOperatorAsync(admin, "editor");
        using var editor = await engine.OperatorAsync("editor");
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync("/jobs")).StatusCode);

        // Hangfire's in-memory storage brings no native SQLite of its own: Microsoft.Data.Sqlite's 3.50 stays loaded.
        var version = await engine.Database.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<string>(c, "SELECT sqlite_version()"), CancellationToken.None);
        Assert.StartsWith("3.50.", version);
    }

    /// <summary>The answer to the client's message (a dialog's greeting comes first, without replyToId).</summary>
    private static Task<FlowReply> AnswerAsync(FlowClient client) => client.ReplyMatchingAsync(r => r.ReplyToId is not null, "the answer");

    private static async Task ImportAsync(HttpClient admin)
    {
        var import = await admin.PostAsync("/api/v1/kb/import?replace=true", new StringContent(Kb, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
    }

    /// <summary>Starts the training job through the API and waits for the registry row it makes (newer than <paramref name="after"/>).</summary>
    private static async Task<JsonObject> TrainAsync(FlowEngine engine, HttpClient admin, string? after = null)
    {
        var started = await admin.PostAsync("/api/v1/nlu/training-runs", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.False(string.IsNullOrEmpty((await started.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<string>()));
        var model = await engine.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonArray>("/api/v1/nlu/models"))!.FirstOrDefault(m => m!["id"]!.GetValue<string>() != after)?.AsObject(),
            "the trained model", timeout: TimeSpan.FromSeconds(180));
        // The job lists the model before it swaps the engine's classifier (the registry first, so a live model is always
        // a stored one): a promoted model answers once the engine runs it.
        if (model["status"]!.GetValue<string>() == "promoted")
        {
            var id = model["id"]!.GetValue<string>();
            var knowledge = engine.Services.GetRequiredService<KnowledgeRuntime>();
            await engine.WaitAsync(() => Task.FromResult<object?>(knowledge.Live.ModelId == id ? knowledge.Live : null), "the promoted model to go live");
        }
        return model;
    }

    /// <summary>The texts of the labels in the frozen evaluation set.</summary>
    private static async Task<HashSet<string>> HeldOutAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonObject>("/api/v1/nlu/labels?limit=200"))!["examples"]!.AsArray()
            .Where(e => e!["heldOut"]?.GetValue<bool>() == true).Select(e => e!["text"]!.GetValue<string>()).ToHashSet();

    private static async Task AssertBadRequestAsync(HttpClient admin, object body, string field) =>
        await AssertNamesFieldAsync(await admin.PostAsJsonAsync("/api/v1/nlu/labels", body), field);

    /// <summary>A 400 whose detail starts with the field it is about.</summary>
    private static async Task AssertNamesFieldAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(field + ":", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
    }
}
