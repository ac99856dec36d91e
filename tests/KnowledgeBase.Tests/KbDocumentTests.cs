using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;

namespace BotEngine.KnowledgeBase.Tests;

public class KbDocumentTests
{
    [Fact]
    public void Export_import_round_trip_is_lossless()
    {
        var original = TestKb.Load();
        var exported = KbJson.Write(original);
        var replaced = KbImport.Import(new KbDocument(), exported, replace: true);
        Assert.True(replaced.Succeeded, string.Join("; ", replaced.Errors));
        Assert.Equal(exported, KbJson.Write(replaced.Document!));
        // Every value of the source document survives (the export adds only defaults the source left out).
        AssertContains(JsonNode.Parse(TestKb.Json)!, JsonNode.Parse(exported)!, "$");
    }

    private static void AssertContains(JsonNode expected, JsonNode actual, string path)
    {
        switch (expected)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Assert.True(actual.AsObject().TryGetPropertyValue(key, out var other), $"{path}.{key} is missing");
                    if (value is not null)
                        AssertContains(value, other!, $"{path}.{key}");
                }
                break;
            case JsonArray array:
                Assert.Equal(array.Count, actual.AsArray().Count);
                for (var i = 0; i < array.Count; i++)
                    AssertContains(array[i]!, actual[i]!, $"{path}[{i}]");
                break;
            default:
                Assert.True(JsonNode.DeepEquals(expected, actual) || expected.ToString().Equals(actual.ToString(), StringComparison.OrdinalIgnoreCase),
                    $"{path}: {expected} became {actual}");
                break;
        }
    }

    [Fact]
    public void The_round_trip_test_document_sets_every_property_of_the_model()
    {
        // Guards the round-trip test: a new model field must be exercised by the test KB, or this fails.
        var unset = new List<string>();
        Visit(TestKb.Load(), typeof(KbDocument).Name, unset, []);
        var allowedUnset = new HashSet<string> { "AnswerButton.Value" }; // runner-only, refused in documents
        Assert.Empty(unset.Where(u => !allowedUnset.Contains(u)).Distinct());
    }

    private static void Visit(object node, string name, List<string> unset, HashSet<string> seen)
    {
        var type = node.GetType();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = $"{type.Name}.{property.Name}";
            var values = Values(node, type, property).ToList();
            if (values.Count == 0)
            {
                if (!seen.Contains(key))
                    unset.Add(key);
                continue;
            }
            seen.Add(key);
            unset.RemoveAll(u => u == key);
            foreach (var value in values)
                if (value.GetType().Namespace == typeof(KbDocument).Namespace && !value.GetType().IsEnum)
                    Visit(value, key, unset, seen);
        }
    }

    // Every instance of the property across the document where it holds a non-default value.
    private static IEnumerable<object> Values(object node, Type type, PropertyInfo property)
    {
        var value = property.GetValue(node);
        switch (value)
        {
            case null:
                yield break;
            case string s when s.Length > 0:
                yield return s;
                break;
            case string:
                yield break;
            case IDictionary dictionary:
                if (dictionary.Count > 0)
                    yield return dictionary;
                break;
            case IEnumerable list:
                foreach (var item in list)
                    yield return item;
                break;
            default:
                if (value is not false)
                    yield return value;
                break;
        }
    }

    [Fact]
    public void Enums_are_written_in_camel_case_and_read_in_any_case()
    {
        var doc = KbJson.Parse("""{ "articles": [ { "id": "a", "title": "A", "messagePolicy": "Random", "answers": [ { "text": "x" } ] } ] }""");
        Assert.Equal(MessagePolicy.Random, doc.Articles[0].MessagePolicy);
        Assert.Contains("\"messagePolicy\": \"random\"", KbJson.Write(doc));
    }

    [Theory]
    [InlineData("""{ "articles": [ { "id": "a", "titel": "A" } ] }""", "articles[0].titel")]
    [InlineData("""{ "articles": [ { "id": "a", "title": "A", "questions": null } ] }""", "articles[0].questions")]
    [InlineData("""{ "articles": [ { "id": "a", "title": "A", "messagePolicy": "sometimes" } ] }""", "articles[0].messagePolicy")]
    [InlineData("""{ "articles": [ { "id": "a", "title": "A" ] }""", "articles[0]")]
    public void Malformed_json_is_refused_naming_the_field_and_nothing_changes(string json, string path)
    {
        var current = TestKb.Load();
        var before = KbJson.Write(current);
        var change = KbImport.Import(current, json, replace: false);
        Assert.False(change.Succeeded);
        Assert.Null(change.Document);
        var error = Assert.Single(change.Errors);
        Assert.StartsWith(path, error.Path);
        Assert.Equal(before, KbJson.Write(current));
    }

    [Fact]
    public void Import_with_a_dangling_reference_is_refused_and_nothing_changes()
    {
        var current = TestKb.Load();
        var before = KbJson.Write(current);
        const string json = """
        { "articles": [ { "id": "new", "title": "Новая", "answers": [ { "text": "см.", "buttons": [ { "label": "Туда", "article": "nowhere" } ] } ] } ] }
        """;
        var change = KbImport.Import(current, json, replace: false);
        var error = Assert.Single(change.Errors);
        Assert.Equal("articles[14].answers[0].buttons[0].article: article 'nowhere' does not exist", error.ToString());
        Assert.Equal(before, KbJson.Write(current));
    }

    [Fact]
    public void Merge_import_replaces_by_identifier_and_keeps_the_rest()
    {
        var current = TestKb.Load();
        const string json = """
        {
          "recordTypes": [ { "id": "FAQ", "name": "Частые вопросы" } ],
          "articles": [
            { "id": "menu", "title": "Новое меню", "answers": [ { "text": "Меню 2" } ] },
            { "id": "новая-статья_1", "title": "Новая", "recordType": "FAQ", "answers": [ { "text": "Привет", "buttons": [ { "label": "Меню", "article": "menu" } ] } ] }
          ],
          "settings": { "fallbackText": { "ru": "Ещё раз?" } }
        }
        """;
        var change = KbImport.Import(current, json, replace: false);
        Assert.True(change.Succeeded, string.Join("; ", change.Errors));
        var merged = change.Document!;
        Assert.Equal(current.Articles.Count + 1, merged.Articles.Count);
        Assert.Equal("Новое меню", merged.Articles.Single(a => a.Id == "menu").Title);
        Assert.Equal("Блокировка карты", merged.Articles.Single(a => a.Id == "block_card").Title);
        Assert.Equal(3, merged.RecordTypes.Count);
        Assert.Equal("Ещё раз?", merged.Settings.FallbackText["ru"]);
        Assert.Equal("Sorry, I did not get that.", merged.Settings.FallbackText["en"]);
        Assert.Equal("Выберите тему", current.Articles.Single(a => a.Id == "menu").Answers[0].Text); // input untouched
    }

    [Fact]
    public void Replace_import_must_be_valid_on_its_own()
    {
        const string json = """{ "articles": [ { "id": "a", "title": "A", "recordType": "KB", "answers": [ { "text": "x" } ] } ] }""";
        var change = KbImport.Import(TestKb.Load(), json, replace: true);
        Assert.Equal("articles[0].recordType: record type 'KB' does not exist", Assert.Single(change.Errors).ToString());
        Assert.True(KbImport.Import(TestKb.Load(), json, replace: false).Succeeded); // merged, KB exists
    }

    [Theory]
    [InlineData("", "id: is required")]
    [InlineData("bad id", "id: 'bad id' is not a valid identifier")]
    [InlineData("bad/id", "id: 'bad/id' is not a valid identifier")]
    public void Article_upsert_with_a_bad_identifier_names_the_field(string id, string expected)
    {
        var change = KbEditor.UpsertArticle(TestKb.Load(), new Article { Id = id, Title = "T", Answers = [new Answer { Text = "x" }] });
        Assert.StartsWith(expected, Assert.Single(change.Errors).ToString());
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("//evil.example.org/x.png")]
    [InlineData("file:///etc/passwd")]
    public void Answer_links_that_a_browser_would_run_are_refused(string url)
    {
        var attachment = new Article { Id = "a1", Title = "T", Answers = [new Answer { Text = "x", Attachments = [new AnswerAttachment { Name = "n", ContentType = "image/png", Url = url }] }] };
        Assert.Equal("answers[0].attachments[0].url", Assert.Single(KbEditor.UpsertArticle(TestKb.Load(), attachment).Errors).Path);
        var button = new Article { Id = "a2", Title = "T", Answers = [new Answer { Text = "x", Buttons = [new AnswerButton { Label = "b", Url = url }] }] };
        Assert.Equal("answers[0].buttons[0].url", Assert.Single(KbEditor.UpsertArticle(TestKb.Load(), button).Errors).Path);
    }

    [Theory]
    [InlineData("https://example.org/card.png")]
    [InlineData("/static/card.png")]
    public void Answer_links_over_http_or_to_this_engine_are_accepted(string url)
    {
        var article = new Article { Id = "a1", Title = "T", Answers = [new Answer { Text = "x", Attachments = [new AnswerAttachment { Name = "n", ContentType = "image/png", Url = url }] }] };
        var change = KbEditor.UpsertArticle(TestKb.Load(), article);
        Assert.True(change.Succeeded, string.Join("; ", change.Errors));
    }

    [Theory]
    [InlineData("блокировка_карты-2")]
    [InlineData("Card_Block-3")]
    public void Cyrillic_and_latin_identifiers_are_valid(string id)
    {
        var change = KbEditor.UpsertArticle(TestKb.Load(), new Article { Id = id, Title = "T", Answers = [new Answer { Text = "x" }] });
        Assert.True(change.Succeeded, string.Join("; ", change.Errors));
    }

    [Fact]
    public void Article_upsert_reports_nested_fields_relative_to_the_article()
    {
        var article = new Article
        {
            Id = "x", Title = "", RecordType = "NOPE", Slots = ["missing_slot"],
            Answers =
            [
                new Answer { Text = "ok", Buttons = [new AnswerButton { Label = "a", Article = "menu" }, new AnswerButton { Label = "b", Article = "ghost" }] },
                new Answer { Text = "/redirect nobody" },
                new Answer { Text = "/jump" },
                new Answer { Text = "c", Conditions = [new AnswerCondition { Slot = "card_type", Value = "gold" }] },
                new Answer { Text = "u", Buttons = [new AnswerButton { Label = "u", Url = "ftp://x" }, new AnswerButton { Label = "both", Article = "menu", Url = "https://x.org" }] },
            ],
        };
        var errors = KbEditor.UpsertArticle(TestKb.Load(), article).Errors.Select(e => e.ToString()).ToList();
        Assert.Contains("title: is required", errors);
        Assert.Contains("recordType: record type 'NOPE' does not exist", errors);
        Assert.Contains("slots[0]: slot 'missing_slot' does not exist", errors);
        Assert.Contains("answers[0].buttons[1].article: article 'ghost' does not exist", errors);
        Assert.Contains("answers[1].text: external agent 'nobody' does not exist", errors);
        Assert.Contains(errors, e => e.StartsWith("answers[2].text: '/jump' is not a command", StringComparison.Ordinal));
        Assert.Contains("answers[3].conditions[0].value: slot 'card_type' has no item 'gold'", errors);
        Assert.Contains("answers[4].buttons[0].url: 'ftp://x' is not an absolute http(s) URL", errors);
        Assert.Contains("answers[4].buttons[1]: exactly one of article and url is required", errors);
        Assert.Equal(9, errors.Count);
    }

    [Fact]
    public void An_attachment_is_a_link_or_a_stored_file_and_the_validator_names_the_field()
    {
        var doc = TestKb.Load();
        var article = doc.Articles.Single(a => a.Id == "policy_all");
        article.Answers[0].Attachments.Add(new AnswerAttachment { Name = "both", Url = "https://example.org/a.pdf", FileId = "0123456789abcdef0123456789abcdef" });
        article.Answers[0].Attachments.Add(new AnswerAttachment { Name = "neither" });
        article.Answers[1].Attachments.Add(new AnswerAttachment { Name = "bad", FileId = "../../etc/passwd" });
        var errors = KbEditor.UpsertArticle(doc, article).Errors.Select(e => e.ToString()).ToList();
        Assert.Contains("answers[0].attachments[1]: exactly one of url and fileId is required", errors);
        Assert.Contains("answers[0].attachments[2]: exactly one of url and fileId is required", errors);
        Assert.Contains(errors, e => e.StartsWith("answers[1].attachments[0].fileId: '../../etc/passwd' is not a stored file's id", StringComparison.Ordinal));
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void File_references_are_found_in_answers_and_slot_questions_with_their_paths()
    {
        var doc = TestKb.Load();
        var article = doc.Articles.FindIndex(a => a.Id == "policy_all");
        doc.Articles[article].Answers[1].Attachments.Add(new AnswerAttachment { Name = "карта.png", ContentType = "image/png", FileId = "fedcba9876543210fedcba9876543210" });
        var slot = doc.Slots.FindIndex(s => s.Id == "comment");
        var references = KbFileReferences.In(doc).Select(r => $"{r.Path}={r.FileId}").ToList();
        Assert.Equal([$"slots[{slot}].question.attachments[0]=0123456789abcdef0123456789abcdef",
            $"articles[{article}].answers[1].attachments[0]=fedcba9876543210fedcba9876543210"], references);
        // Relative to the entity, as the editor API reports an entity's fields.
        Assert.Equal(["answers[1].attachments[0]"], KbFileReferences.InEntity(doc.Articles[article]).Select(r => r.Path));
        Assert.Equal(["question.attachments[0]"], KbFileReferences.InEntity(doc.Slots[slot]).Select(r => r.Path));
        Assert.Empty(KbFileReferences.InEntity(doc.Topics[0]));
    }

    [Fact]
    public void Whole_document_errors_name_the_full_path()
    {
        var doc = TestKb.Load();
        doc.Articles[3].Answers[0].Buttons.Add(new AnswerButton { Label = "x", Article = "x" });
        doc.Slots[0].Items.Clear();
        doc.Slots[2].Pattern = "([";
        doc.Agents[0].Url = "not a url";
        doc.Calendars[0].Week[0].To = "08:00";
        doc.Calendars[0].TimeZone = "Mars/Olympus";
        doc.Calendars[1].Holidays.Add("31.12.2025");
        doc.Articles.Add(new Article { Id = "menu", Title = "dup", Answers = [new Answer { Text = "x" }] });
        var errors = KbValidator.Validate(doc).Select(e => e.ToString()).ToList();
        Assert.Contains("articles[3].answers[0].buttons[0].article: article 'x' does not exist", errors);
        Assert.Contains("slots[0].items: a dictionary slot needs at least one item", errors);
        Assert.Contains(errors, e => e.StartsWith("slots[2].pattern: is not a valid regular expression", StringComparison.Ordinal));
        Assert.Contains("agents[0].url: 'not a url' is not an absolute http(s) URL", errors);
        Assert.Contains("calendars[0].week[0].to: must be later than from", errors);
        Assert.Contains("calendars[0].timeZone: unknown time zone 'Mars/Olympus'", errors);
        Assert.Contains("calendars[1].holidays[0]: '31.12.2025' is not a date (yyyy-MM-dd)", errors);
        Assert.Contains("articles[14].id: 'menu' is used more than once", errors);
    }

    [Theory]
    [InlineData(120, 0, "agents[0].timeoutSeconds: must be between 1 and 60")]
    [InlineData(10, 10, "agents[0].retries: must be between 0 and 5")]
    [InlineData(60, 2, "agents[0].retries: 3 attempts of 60 s exceed 120 s for one message: lower retries or timeoutSeconds")]
    public void An_agent_cannot_keep_a_client_waiting_longer_than_two_minutes(int timeoutSeconds, int retries, string expected)
    {
        var doc = TestKb.Load();
        doc.Agents[0].TimeoutSeconds = timeoutSeconds;
        doc.Agents[0].Retries = retries;
        Assert.Contains(expected, KbValidator.Validate(doc).Select(e => e.ToString()));
        (doc.Agents[0].TimeoutSeconds, doc.Agents[0].Retries) = (60, 1);
        Assert.Empty(KbValidator.Validate(doc));
    }

    [Fact]
    public void Deleting_a_referenced_article_is_refused_naming_the_referrer()
    {
        var change = KbEditor.DeleteArticle(TestKb.Load(), "menu");
        Assert.Equal("articles[0].answers[0].buttons[0].article: article 'menu' does not exist", Assert.Single(change.Errors).ToString());
        Assert.True(KbEditor.DeleteArticle(TestKb.Load(), "policy_all").Succeeded);
        Assert.Equal("id: article 'nope' does not exist", Assert.Single(KbEditor.DeleteArticle(TestKb.Load(), "nope").Errors).ToString());
    }

    [Fact]
    public void Upserting_an_article_creates_its_missing_topics()
    {
        var change = KbEditor.UpsertArticle(TestKb.Load(), new Article { Id = "n", Title = "N", Topics = ["вклады", "карты"], Answers = [new Answer { Text = "x" }] });
        Assert.True(change.Succeeded);
        Assert.Equal(["карты", "вклады"], change.Document!.Topics.Select(t => t.Id));
    }

    [Fact]
    public void Slot_agent_and_calendar_edits_are_validated()
    {
        var kb = TestKb.Load();
        Assert.Equal("question.text: is required for a normal slot",
            Assert.Single(KbEditor.UpsertSlot(kb, new SlotDefinition { Id = "s", Name = "S" }).Errors).ToString());
        Assert.Equal("secret: must be at least 16 characters",
            Assert.Single(KbEditor.UpsertAgent(kb, new ExternalAgent { Id = "a", Name = "A", Url = "https://a.org", Secret = "short" }).Errors).ToString());
        Assert.Equal("outOfHours.contactArticle: is required when mode is collectContacts",
            Assert.Single(KbEditor.UpsertCalendar(kb, new BusinessCalendar { CallCentre = "x", OutOfHours = new OutOfHours { Mode = OutOfHoursMode.CollectContacts } }).Errors).ToString());
        Assert.Equal("slot 'card_type' does not exist",
            KbEditor.DeleteSlot(kb, "card_type").Errors.First().Message);
        Assert.True(KbEditor.UpsertRecordType(kb, new RecordType { Id = "NEW", Name = "Новый" }).Succeeded);
    }
}
