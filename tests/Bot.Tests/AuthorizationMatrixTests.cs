using BotEngine.Http;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Handoff;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests;

/// <summary>
/// Every route of the engine, called as: no token, an operator without permissions, an operator with each single
/// permission, and the administrator. The expected status follows from the route's declared <see cref="EndpointAccess"/>,
/// read from the route table, so a new endpoint is checked without anyone adding it here, and one that declares
/// nothing fails the first test.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.Engine engine) : IClassFixture<AuthorizationMatrixTests.Engine>
{
    private readonly EngineHost _host = engine.Host;

    /// <summary>One engine for the class: the route table is the same for every test.</summary>
    public sealed class Engine : IAsyncLifetime
    {
        public EngineHost Host { get; private set; } = null!;

        public async Task InitializeAsync() => Host = await EngineHost.StartAsync(StorageKind.Sqlite);

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    private sealed record Route(string Method, string Template, EndpointAccess Access);

    private IReadOnlyList<Route> Routes()
    {
        var sources = _host.Services.GetServices<EndpointDataSource>();
        var routes = new List<Route>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var access = endpoint.Metadata.GetOrderedMetadata<EndpointAccess>();
            Assert.True(access.Count == 1,
                $"{string.Join(",", methods)} {endpoint.RoutePattern.RawText} declares {access.Count} access rules: call RequirePermission, RequireSignedIn or AllowPublic exactly once.");
            routes.AddRange(methods.Select(m => new Route(m, "/" + endpoint.RoutePattern.RawText!.Trim('/'), access[0])));
        }
        return routes;
    }

    [Fact]
    public void Every_endpoint_declares_who_may_call_it() => Assert.NotEmpty(Routes());

    [Fact]
    public async Task Every_route_in_the_api_description_is_in_the_checked_route_table()
    {
        var routes = Routes().Select(r => (r.Method, r.Template)).ToHashSet();
        var document = (await _host.Http.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var described = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => (Method: m.Key.ToUpperInvariant(), Template: p.Key)))
            .ToList();
        Assert.NotEmpty(described);
        Assert.All(described, d => Assert.Contains(d, routes));
    }

    [Fact]
    public void Every_permission_guards_an_endpoint_or_an_action()
    {
        var guarded = Routes().Select(r => r.Access).OfType<EndpointAccess.NeedsPermission>().SelectMany(a => a.AnyOf).ToHashSet();
        // Checked inside an action rather than by a route of its own: whether a closing operator records dissatisfaction.
        guarded.Add(Permission.ModifyUserDissatisfaction);
        Assert.Empty(Enum.GetValues<Permission>().Except(guarded));
    }

    [Fact]
    public async Task Each_caller_gets_what_the_route_declares()
    {
        var routes = Routes();
        var admin = _host.OperatorClient(await _host.OperatorTokenAsync());
        var callers = new List<(string Name, HttpClient Client, IReadOnlySet<Permission>? Permissions)>
        {
            ("no token", new HttpClient { BaseAddress = _host.BaseUri }, null),
            ("no permissions", await CreateOperatorAsync(admin, "perm-none", []), new HashSet<Permission>()),
        };
        foreach (var permission in Enum.GetValues<Permission>())
            callers.Add((permission.ToName(), await CreateOperatorAsync(admin, "perm-" + permission.ToName().Replace('_', '-'), [permission]), new HashSet<Permission> { permission }));
        callers.Add(("admin", admin, Enum.GetValues<Permission>().ToHashSet()));

        var failures = new List<string>();
        // Session endpoints (logout) end the caller's token: they go last.
        foreach (var route in routes.OrderBy(r => r.Template.Contains("/auth/", StringComparison.Ordinal)))
        {
            foreach (var (name, client, permissions) in callers)
            {
                var status = await SendAsync(client, route);
                var expected = Expected(route.Access, permissions);
                if ((int)status >= 500 || !expected(status))
                    failures.Add($"{route.Method} {route.Template} as {name}: {(int)status}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>What status a caller may get: 401 without a token, 403 without the permission, and otherwise anything but those (a 400 or 404 for the placeholder ids is fine).</summary>
    private static Func<HttpStatusCode, bool> Expected(EndpointAccess access, IReadOnlySet<Permission>? permissions) => access switch
    {
        EndpointAccess.Public => _ => true,
        _ when permissions is null => s => s == HttpStatusCode.Unauthorized,
        EndpointAccess.SignedIn => s => s is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
        EndpointAccess.NeedsPermission needs when needs.AnyOf.Any(permissions.Contains) => s => s is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
        _ => s => s == HttpStatusCode.Forbidden,
    };

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, Route route)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(route.Template, @"\{[^}]+\}", "matrix-missing");
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
        if (route.Method is "POST" or "PUT" or "PATCH")
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // Streams (the event feed) answer their status with the headers and then stay open: read only the headers.
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        return response.StatusCode;
    }

    private async Task<HttpClient> CreateOperatorAsync(HttpClient admin, string login, Permission[] permissions)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/operators",
            new { login, password = "password-" + login, permissions = permissions.Select(p => p.ToName()).ToArray() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return _host.OperatorClient(await _host.OperatorTokenAsync(login, "password-" + login));
    }
}
