<#
.SYNOPSIS
    ContraVento deployment script for Windows (PowerShell 7+). Linux/macOS: deploy.sh.

.DESCRIPTION
    .\deploy.ps1 <env> [command] [extra docker compose arguments]

    Environments: local-minimal, local, dev, staging, prod
    Commands:
      up (default)  check .env.<env>, build, start the databases, run the migrations
                    (alembic upgrade head), start everything, wait until healthy,
                    print the access points
      down          stop and remove the containers (volumes kept; -v refused for
                    staging/prod unless $env:CONFIRM_DESTROY = 'yes')
      logs          follow the logs (.\deploy.ps1 dev logs backend)
      ps            list the containers and their health
      restart       restart the services and wait for health
      config        print the merged Compose configuration

    Environment variables: COMPOSE_BIN (default "docker compose"), SKIP_BUILD=1,
    PULL=1, SKIP_PREDEPLOY_CHECK=1 (not for prod), WAIT_TIMEOUT (default 300),
    DEPLOY_ENV_FILE (env file to use instead of .env.<env>).

    .env.<env> must exist (Copy-Item .env.<env>.example .env.<env>) and hold no
    CHANGE_ME placeholder. dev, staging and prod also run
    scripts/deployment/pre-deploy-check.sh when bash is available (Git Bash / WSL).

.EXAMPLE
    .\deploy.ps1 local

.EXAMPLE
    .\deploy.ps1 prod logs backend
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [string]$Environment,

    [Parameter(Position = 1)]
    [string]$Command = 'up',

    [Parameter(Position = 2, ValueFromRemainingArguments = $true)]
    [string[]]$ExtraArgs = @(),

    [switch]$Help
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$Root = $PSScriptRoot
$Environments = @('local-minimal', 'local', 'dev', 'staging', 'prod')
$Commands = @('up', 'down', 'logs', 'ps', 'restart', 'config')
$WaitTimeout = if ($env:WAIT_TIMEOUT) { $env:WAIT_TIMEOUT } else { '300' }
$PlaceholderPattern = '(?i)CHANGE_?ME|<[A-Za-z0-9_ -]+>|your[_-](password|secret|key|token)'

function Write-Info {
    param([string]$Message)
    Write-Host "==> $Message" -ForegroundColor Green
}

function Write-Warn {
    param([string]$Message)
    Write-Warning $Message
}

function Stop-WithError {
    param([string]$Message)
    Write-Host "ERROR: $Message" -ForegroundColor Red
    exit 1
}

function Show-Usage {
    Get-Help -Full $PSCommandPath | Out-String | Write-Host
}

if ($Help -or -not $Environment -or $Environment -in @('-h', '--help', 'help')) {
    Show-Usage
    if ($Help -or $Environment) {
        exit 0
    }
    exit 2
}
if ($Environment -notin $Environments) {
    Stop-WithError "unknown environment '$Environment' (one of: $($Environments -join ', '))"
}
if ($Command -notin $Commands) {
    Stop-WithError "unknown command '$Command' (one of: $($Commands -join ', '))"
}

$EnvFile = if ($env:DEPLOY_ENV_FILE) { $env:DEPLOY_ENV_FILE } else { Join-Path $Root ".env.$Environment" }
$ComposeFiles = @(
    '-f', (Join-Path $Root 'docker-compose.yml'),
    '-f', (Join-Path $Root "docker-compose.$Environment.yml")
)

function Get-EnvValue {
    param([string]$Key)
    $value = ''
    foreach ($line in Get-Content -LiteralPath $EnvFile) {
        if ($line -match '^\s*#') {
            continue
        }
        if ($line -match "^\s*$([regex]::Escape($Key))\s*=(.*)$") {
            $value = $Matches[1].Trim().Trim('"').Trim("'")
        }
    }
    return $value
}

function Test-EnvFile {
    if (-not (Test-Path -LiteralPath $EnvFile)) {
        Stop-WithError ".env.$Environment not found. Create it: Copy-Item .env.$Environment.example .env.$Environment ; then replace every CHANGE_ME_... value (docs/DEPLOYMENT.md)."
    }
    $left = @(Select-String -LiteralPath $EnvFile -Pattern $PlaceholderPattern |
        Where-Object { $_.Line -notmatch '^\s*#' })
    if ($left.Count -gt 0) {
        $lines = ($left | ForEach-Object { "line $($_.LineNumber): $(($_.Line -split '=')[0])" }) -join '; '
        Stop-WithError ".env.$Environment still holds placeholder values; refusing to start ($lines)"
    }
}

function Get-ComposeCommand {
    if ($env:COMPOSE_BIN) {
        return @($env:COMPOSE_BIN -split '\s+' | Where-Object { $_ })
    }
    & docker compose version *> $null
    if ($LASTEXITCODE -eq 0) {
        return @('docker', 'compose')
    }
    Stop-WithError 'Docker Compose v2 is required (docker compose version). Install Docker Desktop 4.x / Docker 24+.'
}

function Get-ComposeArguments {
    param([string[]]$Arguments)
    $pre = @()
    if ($script:ComposeCmd.Count -gt 1) {
        $pre = $script:ComposeCmd[1..($script:ComposeCmd.Count - 1)]
    }
    return $pre + @('-p', "contravento-$Environment") + $ComposeFiles +
        @('--env-file', $EnvFile, '--profile', $Environment) + $Arguments
}

function Invoke-Compose {
    param([string[]]$Arguments)
    $all = Get-ComposeArguments $Arguments
    & $script:ComposeCmd[0] @all
    if ($LASTEXITCODE -ne 0) {
        throw "docker compose $($Arguments -join ' ') failed (exit $LASTEXITCODE)"
    }
}

function Invoke-PreDeployCheck {
    if ($Environment -notin @('dev', 'staging', 'prod')) {
        return
    }
    if ($env:SKIP_PREDEPLOY_CHECK -eq '1' -and $Environment -ne 'prod') {
        Write-Warn 'SKIP_PREDEPLOY_CHECK=1: pre-deployment checks skipped'
        return
    }
    $bash = Get-Command bash -ErrorAction SilentlyContinue
    if (-not $bash) {
        Write-Warn 'bash not found (install Git for Windows or WSL): scripts/deployment/pre-deploy-check.sh skipped; the placeholder check above still ran'
        return
    }
    Write-Info 'pre-deployment checks'
    $env:COMPOSE_BIN = $script:ComposeCmd -join ' '
    & $bash.Source (Join-Path $Root 'scripts/deployment/pre-deploy-check.sh') $Environment --env-file $EnvFile
    if ($LASTEXITCODE -ne 0) {
        Stop-WithError 'pre-deployment checks failed: fix the FAIL lines above'
    }
}

function Initialize-StagingCertificate {
    $dir = Join-Path $Root 'nginx/certs'
    $chain = Join-Path $dir 'fullchain.pem'
    $key = Join-Path $dir 'privkey.pem'
    if ((Test-Path -LiteralPath $chain) -and (Test-Path -LiteralPath $key)) {
        return
    }
    $openssl = Get-Command openssl -ErrorAction SilentlyContinue
    if (-not $openssl) {
        Stop-WithError 'nginx/certs/fullchain.pem and privkey.pem are missing and openssl is not available to create a temporary pair'
    }
    $domain = Get-EnvValue 'DOMAIN'
    Write-Warn "no certificate in nginx/certs/: creating a self-signed one for $domain (browsers will warn)"
    & $openssl.Source req -x509 -nodes -newkey rsa:2048 -days 30 -subj "/CN=$domain" -keyout $key -out $chain
    if ($LASTEXITCODE -ne 0) {
        Stop-WithError 'openssl could not create the temporary certificate'
    }
}

function Test-CertbotFile {
    param([string]$Path)
    $all = Get-ComposeArguments @('run', '--rm', '--no-deps', '--entrypoint', '/bin/sh', 'certbot', '-c', "test -e $Path")
    & $script:ComposeCmd[0] @all *> $null
    return ($LASTEXITCODE -eq 0)
}

function Initialize-ProdCertificate {
    $domain = Get-EnvValue 'DOMAIN'
    $live = "/etc/letsencrypt/live/$domain"
    if (Test-CertbotFile "$live/fullchain.pem") {
        return
    }
    Write-Info "no certificate for $domain yet: creating a temporary self-signed one"
    Invoke-Compose @('run', '--rm', '--no-deps', '--entrypoint', '/bin/sh', 'certbot', '-c',
        "mkdir -p $live && openssl req -x509 -nodes -newkey rsa:2048 -days 2 -subj /CN=$domain -keyout $live/privkey.pem -out $live/fullchain.pem && touch $live/.bootstrap")
}

function Request-ProdCertificate {
    $domain = Get-EnvValue 'DOMAIN'
    $email = Get-EnvValue 'SSL_EMAIL'
    if (-not (Test-CertbotFile "/etc/letsencrypt/live/$domain/.bootstrap")) {
        return
    }
    Write-Info "requesting a Let's Encrypt certificate for $domain and www.$domain"
    try {
        Invoke-Compose @('run', '--rm', '--no-deps', '--entrypoint', '/bin/sh', 'certbot', '-c',
            "rm -rf /etc/letsencrypt/live/$domain /etc/letsencrypt/archive/$domain /etc/letsencrypt/renewal/$domain.conf && certbot certonly --webroot -w /var/www/certbot -d $domain -d www.$domain --email $email --agree-tos --no-eff-email --non-interactive --rsa-key-size 4096")
        Invoke-Compose @('exec', '-T', 'nginx', 'nginx', '-s', 'reload')
        Write-Info 'certificate installed and nginx reloaded'
    }
    catch {
        Write-Warn "Let's Encrypt issuance failed ($_). Restoring the temporary certificate; run .\deploy.ps1 prod again once DNS and ports 80/443 are right."
        Initialize-ProdCertificate
    }
}

function Show-AccessPoints {
    $domain = Get-EnvValue 'DOMAIN'
    Write-Host ''
    Write-Info "ContraVento $Environment is up. Access points:"
    switch ($Environment) {
        { $_ -in @('local-minimal', 'local') } {
            Write-Host "  API           http://localhost:$(Get-EnvValue 'BACKEND_PORT')   (docs: /docs, health: /health)"
            Write-Host '  Web app       cd frontend; npm run dev  ->  http://localhost:5173'
            Write-Host "  PostgreSQL    localhost:$(Get-EnvValue 'POSTGRES_PORT')"
            if ($Environment -eq 'local') {
                Write-Host "  Redis         localhost:$(Get-EnvValue 'REDIS_PORT')"
                Write-Host "  Mail catcher  http://localhost:$(Get-EnvValue 'MAILHOG_UI_PORT')"
                Write-Host "  pgAdmin       http://localhost:$(Get-EnvValue 'PGADMIN_PORT')"
            }
        }
        'dev' {
            $port = Get-EnvValue 'NGINX_HTTP_PORT'
            Write-Host "  Web app       http://${domain}:$port/"
            Write-Host "  API           http://${domain}:$port/api/"
            Write-Host "  Health        http://${domain}:$port/health"
        }
        default {
            Write-Host "  Web app       https://$domain/"
            Write-Host "  API           https://$domain/api/"
            Write-Host "  Health        https://$domain/health"
            Write-Host "  Grafana       http://127.0.0.1:$(Get-EnvValue 'GRAFANA_PORT') (on the server, via SSH tunnel)"
            Write-Host "  Prometheus    http://127.0.0.1:$(Get-EnvValue 'PROMETHEUS_PORT')"
        }
    }
}

function Start-Environment {
    Invoke-PreDeployCheck
    Write-Info 'validating the Compose configuration'
    Invoke-Compose @('config', '-q')

    $datastores = @('postgres')
    $serviceArgs = Get-ComposeArguments @('config', '--services')
    $services = @(& $script:ComposeCmd[0] @serviceArgs)
    if ($services -contains 'redis') {
        $datastores += 'redis'
    }
    if ($Environment -eq 'staging') {
        Initialize-StagingCertificate
    }
    if ($env:PULL -eq '1') {
        Write-Info 'pulling images'
        Invoke-Compose @('pull', '--ignore-buildable')
    }
    if ($env:SKIP_BUILD -ne '1') {
        Write-Info 'building images'
        Invoke-Compose @('build')
    }
    Write-Info "starting $($datastores -join ', ')"
    Invoke-Compose (@('up', '-d', '--wait', '--wait-timeout', $WaitTimeout) + $datastores)

    Write-Info "running database migrations and loading reference data (entrypoint 'migrate')"
    Invoke-Compose @('run', '--rm', '--no-deps', 'backend', 'migrate')

    if ($Environment -eq 'prod') {
        Initialize-ProdCertificate
    }
    Write-Info "starting all services and waiting until they are healthy (timeout ${WaitTimeout}s)"
    Invoke-Compose @('up', '-d', '--remove-orphans', '--wait', '--wait-timeout', $WaitTimeout)
    if ($Environment -eq 'prod') {
        Request-ProdCertificate
    }
    Write-Info 'backend /health:'
    Invoke-Compose @('exec', '-T', 'backend', 'python', '-c',
        "import os, urllib.request; print(urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=5).read().decode())")
    Invoke-Compose @('ps')
    Show-AccessPoints
}

function Stop-Environment {
    $destructive = $ExtraArgs | Where-Object { $_ -in @('-v', '--volumes') }
    if ($destructive -and $Environment -in @('staging', 'prod') -and $env:CONFIRM_DESTROY -ne 'yes') {
        Stop-WithError "'down -v' deletes the $Environment database and uploads; set `$env:CONFIRM_DESTROY='yes' if you really mean it"
    }
    Write-Info "stopping $Environment"
    Invoke-Compose (@('down') + $ExtraArgs)
}

function Restart-Environment {
    Write-Info 'restarting services'
    Invoke-Compose (@('restart') + $ExtraArgs)
    Invoke-Compose (@('up', '-d', '--no-build', '--no-recreate', '--wait', '--wait-timeout', $WaitTimeout) + $ExtraArgs)
    Invoke-Compose @('ps')
}

Set-Location -LiteralPath $Root
if ($Command -in @('up', 'restart')) {
    Test-EnvFile
}
$script:ComposeCmd = Get-ComposeCommand

try {
    switch ($Command) {
        'up' {
            Start-Environment
        }
        'down' {
            Stop-Environment
        }
        'logs' {
            $tail = if ($env:TAIL) { $env:TAIL } else { '200' }
            Invoke-Compose (@('logs', '-f', "--tail=$tail") + $ExtraArgs)
        }
        'ps' {
            Invoke-Compose (@('ps') + $ExtraArgs)
        }
        'restart' {
            Restart-Environment
        }
        'config' {
            Invoke-Compose (@('config') + $ExtraArgs)
        }
    }
}
catch {
    Stop-WithError $_.Exception.Message
}
