using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests;

/// <summary>Files stored by the engine: upload, serving, Direct Line upload, operator attachments, KB answers and export.</summary>
public sealed class FileTests
{
    // The smallest PNG: one transparent pixel.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task An_uploaded_file_downloads_byte_exact_with_safe_headers_and_bad_uploads_are_4xx(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage, "--Files:MaxFileBytes=300000");
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        var pdf = RandomBytes(250_000);

        var uploaded = await UploadAsync(admin, "выписка за май.pdf", "application/pdf", pdf);
        Assert.Equal(32, uploaded["id"]!.GetValue<string>().Length);
        Assert.Equal(pdf.Length, uploaded["size"]!.GetValue<long>());
        var download = await engine.Http.GetAsync(uploaded["url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("выписка за май.pdf", download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        var etag = download.Headers.ETag!;
        using (var again = new HttpRequestMessage(HttpMethod.Get, uploaded["path"]!.GetValue<string>()))
        {
            again.Headers.IfNoneMatch.Add(etag);
            Assert.Equal(HttpStatusCode.NotModified, (await engine.Http.SendAsync(again)).StatusCode);
        }

        // A picture is shown inline; active content is never served as what it claims to be.
        var image = await UploadAsync(admin, "pixel.png", "image/png", Png);
        var shown = await engine.Http.GetAsync(image["path"]!.GetValue<string>());
        Assert.Equal("inline", shown.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(Png, await shown.Content.ReadAsByteArrayAsync());
        var page = await UploadAsync(admin, "page.html", "text/html", Encoding.UTF8.GetBytes("<script>alert(1)</script>"));
        var served = await engine.Http.GetAsync(page["path"]!.GetValue<string>());
        Assert.Equal("application/octet-stream", served.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", served.Content.Headers.ContentDisposition!.DispositionType);

        // Bad input names the problem.
        await KbApiTests.AssertProblemAsync(await PostFileAsync(admin, "empty.txt", "text/plain", []), HttpStatusCode.BadRequest, "empty");
        await KbApiTests.AssertProblemAsync(await PostFileAsync(admin, "big.bin", "application/octet-stream", RandomBytes(300_001)), HttpStatusCode.RequestEntityTooLarge, "larger than 300000");
        await KbApiTests.AssertProblemAsync(await PostFileAsync(admin, null, "text/plain", [1, 2, 3]), HttpStatusCode.BadRequest, "name");
        await KbApiTests.AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/files", new { name = "x" }), HttpStatusCode.UnsupportedMediaType, "multipart");
        await KbApiTests.AssertProblemAsync(await admin.PostAsync("/api/v1/files", new MultipartFormDataContent()), HttpStatusCode.BadRequest, "multipart");
        await KbApiTests.AssertProblemAsync(await admin.PostAsync("/api/v1/files", new MultipartFormDataContent { { new StringContent("v"), "file" } }), HttpStatusCode.BadRequest, "file name is missing");
        Assert.Equal(HttpStatusCode.NotFound, (await engine.Http.GetAsync("/files/0123456789abcdef0123456789abcdef/x.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await engine.Http.PostAsync("/api/v1/files", FileForm("a.txt", "text/plain", [1]))).StatusCode);

        // Pictures need send_pics, other files send_files.
        var created = await admin.PostAsJsonAsync("/api/v1/operators", new { login = "filer", password = "filer-password", permissions = new[] { "send_files" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var filer = engine.OperatorClient(await engine.OperatorTokenAsync("filer", "filer-password"));
        Assert.Equal(HttpStatusCode.Created, (await PostFileAsync(filer, "a.txt", "text/plain", [1, 2])).StatusCode);
        await KbApiTests.AssertProblemAsync(await PostFileAsync(filer, "b.png", "image/png", Png), HttpStatusCode.Forbidden, "send_pics");
    }

    [Fact]
    public async Task A_file_uploaded_on_one_node_is_served_by_another_on_the_same_postgres()
    {
        var (connectionString, drop) = await TestDatabases.CreatePostgresAsync();
        try
        {
            await using var nodeA = await EngineHost.StartOnPostgresAsync(connectionString);
            await using var nodeB = await EngineHost.StartOnPostgresAsync(connectionString);
            using var admin = nodeA.OperatorClient(await nodeA.OperatorTokenAsync());
            var bytes = RandomBytes(120_000);
            var file = await UploadAsync(admin, "report.pdf", "application/pdf", bytes);
            Assert.Equal(bytes, await nodeB.Http.GetByteArrayAsync(file["path"]!.GetValue<string>()));
        }
        finally
        {
            await drop();
        }
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Client_files_reach_the_operator_and_operator_files_reach_the_client(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        await chat.SendAsync("Хочу поговорить с живым человеком");
        await OperatorSteps.SetStatusAsync(admin, "online");
        var dialogId = await Eventually.WaitAsync(async () =>
        {
            var list = await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=assigned,active");
            return list!.Count == 1 ? list[0]!["id"]!.GetValue<string>() : null;
        });

        // The client attaches a scan and a photo (WebChat's upload); the operator sees them in the dialog and can open them.
        var scan = RandomBytes(70_000);
        var upload = await chat.UploadAsync("Вот скан договора", "user-1", ("договор.pdf", "application/pdf", scan), ("photo.png", "image/png", Png));
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        var fromClient = await Eventually.WaitAsync(async () =>
        {
            var history = await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages");
            return history!.Select(m => m!.AsObject()).FirstOrDefault(m => m["text"]?.GetValue<string>() == "Вот скан договора");
        });
        var attachments = fromClient["activity"]!["attachments"]!.AsArray();
        Assert.Equal(["договор.pdf", "photo.png"], attachments.Select(a => a!["name"]!.GetValue<string>()));
        Assert.Equal(["application/pdf", "image/png"], attachments.Select(a => a!["contentType"]!.GetValue<string>()));
        var scanUrl = attachments[0]!["contentUrl"]!.GetValue<string>();
        Assert.StartsWith(engine.BaseUri.ToString().TrimEnd('/') + "/files/", scanUrl);
        Assert.Equal(scan, await admin.GetByteArrayAsync(scanUrl));
        // The client's own echo carries the same attachments.
        await chat.PollAsync();
        Assert.Contains(chat.Received, a => a["text"]?.GetValue<string>() == "Вот скан договора" && a["attachments"]!.AsArray().Count == 2);

        // The operator sends a file; the client receives it with a link that downloads the same bytes.
        var memo = RandomBytes(40_000);
        var stored = await UploadAsync(admin, "памятка.pdf", "application/pdf", memo);
        var reply = await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "Памятка во вложении", attachments = new[] { stored["id"]!.GetValue<string>() } });
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var received = await chat.WaitForBotAsync(a => DirectLineClient.Text(a) == "Памятка во вложении");
        var attachment = received["attachments"]!.AsArray().Single()!;
        Assert.Equal("памятка.pdf", attachment["name"]!.GetValue<string>());
        using var stranger = new HttpClient();
        Assert.Equal(memo, await stranger.GetByteArrayAsync(attachment["contentUrl"]!.GetValue<string>()));

        // A file alone is a reply; an unknown file id is refused and nothing is sent.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { attachments = new[] { stored["id"]!.GetValue<string>() } })).StatusCode);
        await KbApiTests.AssertProblemAsync(await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "x", attachments = new[] { "0123456789abcdef0123456789abcdef" } }),
            HttpStatusCode.BadRequest, "attachments[0]");

        // Direct Line upload refuses what it cannot store, in its own error format.
        var empty = await chat.UploadAsync("пусто", "user-1", ("empty.txt", "text/plain", Array.Empty<byte>()));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("empty", (await empty.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await chat.UploadAsync("без файлов", "user-1")).StatusCode);
        using var otherChat = await DirectLineClient.StartAsync(engine.BaseUri);
        using var wrongConversation = new HttpClient { BaseAddress = engine.BaseUri };
        wrongConversation.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", otherChat.Token);
        var foreign = await wrongConversation.PostAsync($"/v3/directline/conversations/{chat.ConversationId}/upload?userId=user-1", FileForm("a.txt", "text/plain", [1]));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
    }

    [Fact]
    public async Task A_kb_answer_with_a_stored_file_is_delivered_through_direct_line_and_unknown_files_are_refused()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        var tariffs = RandomBytes(50_000);
        var file = await UploadAsync(api, "тарифы.pdf", "application/pdf", tariffs);
        var fileId = file["id"]!.GetValue<string>();

        var unknown = await KbApiTests.PostJsonAsync(api, "/api/v1/kb/articles", """
            { "id": "tariffs_ru", "title": "Тарифы", "questions": ["Пришлите тарифы по картам"],
              "answers": [ { "text": "Тарифы во вложении.", "attachments": [ { "fileId": "0123456789abcdef0123456789abcdef" } ] } ] }
            """);
        await KbApiTests.AssertProblemAsync(unknown, HttpStatusCode.BadRequest, "answers[0].attachments[0].fileId");
        var both = await KbApiTests.PostJsonAsync(api, "/api/v1/kb/articles", $$"""
            { "id": "tariffs_ru", "title": "Тарифы", "answers": [ { "text": "x", "attachments": [ { "fileId": "{{fileId}}", "url": "https://example.org/a.pdf" } ] } ] }
            """);
        await KbApiTests.AssertProblemAsync(both, HttpStatusCode.BadRequest, "exactly one of url and fileId");

        // Name and type come from the stored file when the editor leaves them out.
        var created = await KbApiTests.PostJsonAsync(api, "/api/v1/kb/articles", $$"""
            { "id": "tariffs_ru", "title": "Тарифы", "access": { "languages": ["ru"] }, "questions": ["Пришлите тарифы по картам"],
              "answers": [ { "text": "Тарифы во вложении.", "attachments": [ { "fileId": "{{fileId}}" } ] } ] }
            """);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var saved = (await created.Content.ReadFromJsonAsync<JsonObject>())!["answers"]![0]!["attachments"]![0]!;
        Assert.Equal("тарифы.pdf", saved["name"]!.GetValue<string>());
        Assert.Equal("application/pdf", saved["contentType"]!.GetValue<string>());

        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        var asked = await chat.SendAsync("Пришлите тарифы по картам");
        var answer = await chat.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == asked && a["attachments"] is not null);
        var attachment = answer["attachments"]!.AsArray().Single()!;
        Assert.Equal("тарифы.pdf", attachment["name"]!.GetValue<string>());
        var url = attachment["contentUrl"]!.GetValue<string>();
        Assert.True(Uri.IsWellFormedUriString(url, UriKind.Absolute), url);
        using var stranger = new HttpClient();
        Assert.Equal(tariffs, await stranger.GetByteArrayAsync(url));
    }

    [Fact]
    public async Task Kb_export_carries_its_files_and_import_into_another_engine_is_lossless()
    {
        await using var first = await EngineHost.StartAsync(StorageKind.Sqlite);
        await using var second = await EngineHost.StartAsync(TestDatabases.PostgresBase is null ? StorageKind.Sqlite : StorageKind.Postgres);
        using var a = first.OperatorClient(await first.OperatorTokenAsync());
        using var b = second.OperatorClient(await second.OperatorTokenAsync());
        var scheme = RandomBytes(30_000);
        var file = await UploadAsync(a, "схема.png", "image/png", scheme);
        var fileId = file["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await KbApiTests.PutJsonAsync(a, "/api/v1/kb/articles/office_map_ru", $$"""
            { "title": "Схема проезда", "questions": ["Как доехать до офиса?"],
              "answers": [ { "text": "Схема проезда:", "attachments": [ { "name": "Схема", "fileId": "{{fileId}}" } ] } ] }
            """)).StatusCode);

        var exported = await a.GetStringAsync("/api/v1/kb/export");
        var files = JsonNode.Parse(exported)!["files"]!.AsArray();
        Assert.Equal(fileId, files.Single()!["id"]!.GetValue<string>());
        Assert.Equal(scheme, Convert.FromBase64String(files[0]!["data"]!.GetValue<string>()));

        // Without its files the document refers to nothing the second engine has: refused, naming the field.
        var bare = JsonNode.Parse(exported)!.AsObject();
        bare.Remove("files");
        await KbApiTests.AssertProblemAsync(await KbApiTests.PostJsonAsync(b, "/api/v1/kb/import?replace=true", bare.ToJsonString()), HttpStatusCode.BadRequest, ".attachments[0].fileId");
        // A broken files section is refused and changes nothing.
        var broken = JsonNode.Parse(exported)!.AsObject();
        broken["files"]![0]!["data"] = "not base64!";
        await KbApiTests.AssertProblemAsync(await KbApiTests.PostJsonAsync(b, "/api/v1/kb/import?replace=true", broken.ToJsonString()), HttpStatusCode.BadRequest, "files[0].data");
        Assert.Equal(HttpStatusCode.NotFound, (await second.Http.GetAsync($"/files/{fileId}/x")).StatusCode);
        var before = await b.GetStringAsync("/api/v1/kb/export");

        // An invalid document with valid files stores neither.
        var invalid = JsonNode.Parse(exported)!.AsObject();
        invalid["articles"]![0]!["answers"]![0]!["buttons"] = new JsonArray(new JsonObject { ["label"] = "l", ["article"] = "nowhere" });
        await KbApiTests.AssertProblemAsync(await KbApiTests.PostJsonAsync(b, "/api/v1/kb/import?replace=true", invalid.ToJsonString()), HttpStatusCode.BadRequest, "buttons[0].article");
        Assert.Equal(HttpStatusCode.NotFound, (await second.Http.GetAsync($"/files/{fileId}/x")).StatusCode);
        Assert.Equal(before, await b.GetStringAsync("/api/v1/kb/export"));

        var replaced = await KbApiTests.PostJsonAsync(b, "/api/v1/kb/import?replace=true", exported);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(exported, await b.GetStringAsync("/api/v1/kb/export"));
        Assert.Equal(scheme, await second.Http.GetByteArrayAsync($"/files/{fileId}/x.png"));
        // Importing again is harmless: the same file under the same id is kept.
        Assert.Equal(HttpStatusCode.OK, (await KbApiTests.PostJsonAsync(b, "/api/v1/kb/import?replace=true", exported)).StatusCode);
    }

    [Fact]
    public async Task The_bot_says_it_cannot_read_a_file_and_does_not_count_it_as_a_miss()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        await chat.SendAsync("Здравствуйте");
        for (var i = 0; i < 3; i++)
        {
            var sent = await chat.UploadAsync(null, "user-1", ("скан.png", "image/png", Png));
            Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
        }
        await Eventually.WaitAsync(async () =>
        {
            await chat.PollAsync();
            return chat.Received.Count(a => DirectLineClient.Text(a)?.StartsWith("Файл получен.", StringComparison.Ordinal) == true) == 3 ? true : (bool?)null;
        });
        // Three files in a row are not three misses: the dialog stays with the bot.
        Assert.Empty((await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!);
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static MultipartFormDataContent FileForm(string? name, string contentType, byte[] content)
    {
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var form = new MultipartFormDataContent();
        if (name is null)
        {
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = "\"\"" };
            form.Add(part);
        }
        else
        {
            form.Add(part, "file", name);
        }
        return form;
    }

    private static Task<HttpResponseMessage> PostFileAsync(HttpClient api, string? name, string contentType, byte[] content) =>
        api.PostAsync("/api/v1/files", FileForm(name, contentType, content));

    private static async Task<JsonObject> UploadAsync(HttpClient api, string name, string contentType, byte[] content)
    {
        var response = await PostFileAsync(api, name, contentType, content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
