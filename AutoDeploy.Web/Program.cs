using AutoDeploy.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddAutoDeploy();

var app = builder.Build();
app.MapAutoDeploy();
app.Run();
