using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

// A load balancer with no affinity at all: each request goes to the next node in turn, whatever session it belongs to.
//   ClusterProxy --urls http://127.0.0.1:3100 --node http://127.0.0.1:3101 --node http://127.0.0.1:3102 ...
// A node that stops answering is taken out of the rotation (passive health checks) and put back after a while.
var nodes = new List<string>();
var rest = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--node" && i + 1 < args.Length)
    {
        nodes.Add(args[++i]);
    }
    else
    {
        rest.Add(args[i]);
    }
}

if (nodes.Count == 0)
{
    Console.Error.WriteLine("Usage: ClusterProxy --node URL [--node URL ...] [--urls URL]");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder([.. rest]);
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "mcp", ClusterId = "nodes", Match = new RouteMatch { Path = "{**path}" } }],
    [
        new ClusterConfig
        {
            ClusterId = "nodes",
            LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
            HealthCheck = new HealthCheckConfig { Passive = new PassiveHealthCheckConfig { Enabled = true, ReactivationPeriod = TimeSpan.FromSeconds(10) } },
            Destinations = nodes.Select((url, i) => (Id: $"node{i + 1}", Url: url)).ToDictionary(d => d.Id, d => new DestinationConfig { Address = d.Url }),
        },
    ]);
builder.Services.AddSingleton(TimeProvider.System);
var app = builder.Build();
app.MapReverseProxy();
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("LISTENING " + string.Join(", ", app.Urls)));
await app.RunAsync();
return 0;
