<#
.SYNOPSIS
    ContraVento - local development without Docker (SQLite).
.DESCRIPTION
    .\run-local-dev.ps1          start the API on http://localhost:8000 (sets up on first run)
    .\run-local-dev.ps1 -Setup   (re)install dependencies, create backend\.env, migrate, seed
    .\run-local-dev.ps1 -Reset   delete the local database and uploads, then set up again
    .\run-local-dev.ps1 -Help    this help

    Demo riders: testuser / TestPass123!  and  maria_garcia / SecurePass456!
#>
[CmdletBinding()]
param(
    [switch]$Setup,
    [switch]$Reset,
    [switch]$Help,
    [int]$Port = 8000
)

$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Backend = Join-Path $Root 'backend'
$Venv = Join-Path $Backend '.venv'
$EnvFile = Join-Path $Backend '.env'
$DbFile = Join-Path $Backend 'contravento_dev.db'
$Marker = Join-Path $Venv '.contravento-setup-done'

if ($IsWindows -or $env:OS -eq 'Windows_NT') {
    $VenvPython = Join-Path $Venv 'Scripts\python.exe'
} else {
    $VenvPython = Join-Path $Venv 'bin/python'
}

function Write-Step {
    param([string]$Message)
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Get-Python {
    foreach ($candidate in @('py', 'python3', 'python')) {
        $command = Get-Command $candidate -ErrorAction SilentlyContinue
        if ($null -ne $command) {
            $arguments = @()
            if ($candidate -eq 'py') { $arguments = @('-3') }
            & $candidate @arguments -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'
            if ($LASTEXITCODE -eq 0) {
                return @{ Command = $candidate; Arguments = $arguments }
            }
        }
    }
    throw 'Python 3.11 or newer is required'
}

function Invoke-Checked {
    param([string]$Command, [string[]]$Arguments)
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "Command failed: $Command $($Arguments -join ' ')"
    }
}

function Install-Dependencies {
    if (-not (Test-Path $VenvPython)) {
        Write-Step 'Creating the virtual environment in backend\.venv'
        $python = Get-Python
        Invoke-Checked $python.Command ($python.Arguments + @('-m', 'venv', $Venv))
    }
    Write-Step 'Installing the backend and its dependencies'
    Invoke-Checked $VenvPython @('-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--upgrade', 'pip>=25.1')
    # the application only; the test tools (the `dev` group) come with the test command
    Invoke-Checked $VenvPython @('-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-e', $Backend)
}

function New-EnvFile {
    if (Test-Path $EnvFile) {
        Write-Step 'Keeping the existing backend\.env'
        return
    }
    Write-Step 'Creating backend\.env from backend\.env.dev.example with a new SECRET_KEY'
    $key = & $VenvPython -c 'import secrets; print(secrets.token_urlsafe(64))'
    $template = Get-Content (Join-Path $Backend '.env.dev.example')
    $content = $template | ForEach-Object {
        if ($_ -match '^SECRET_KEY=') { "SECRET_KEY=$key" } else { $_ }
    }
    Set-Content -Path $EnvFile -Value $content -Encoding UTF8
}

function Invoke-MigrateAndSeed {
    Push-Location $Backend
    try {
        Write-Step 'Applying migrations (alembic upgrade head)'
        Invoke-Checked $VenvPython @('-m', 'alembic', 'upgrade', 'head')
        Write-Step 'Loading achievements, cycling types and demo users'
        Invoke-Checked $VenvPython @('scripts/seed.py')
    }
    finally {
        Pop-Location
    }
}

function Invoke-Setup {
    Install-Dependencies
    New-EnvFile
    Invoke-MigrateAndSeed
    New-Item -ItemType File -Force -Path $Marker | Out-Null
}

function Start-Api {
    if (-not (Test-Path $Marker) -or -not (Test-Path $EnvFile)) {
        Invoke-Setup
    }
    else {
        Push-Location $Backend
        try { Invoke-Checked $VenvPython @('-m', 'alembic', 'upgrade', 'head') }
        finally { Pop-Location }
    }
    Write-Step "ContraVento API: http://localhost:$Port  (docs: http://localhost:$Port/docs)"
    Write-Step 'Log in as testuser / TestPass123!  -  press Ctrl+C to stop'
    Push-Location $Backend
    try {
        & $VenvPython -m uvicorn src.main:app --reload --reload-dir src --host 127.0.0.1 --port $Port
    }
    finally {
        Pop-Location
    }
}

if ($Help) {
    Get-Help $PSCommandPath -Detailed
    exit 0
}

if ($Reset) {
    Write-Step 'Deleting the local database and uploads'
    foreach ($file in @($DbFile, "$DbFile-wal", "$DbFile-shm")) {
        if (Test-Path $file) { Remove-Item -Force $file }
    }
    $storage = Join-Path $Backend 'storage'
    if (Test-Path $storage) { Remove-Item -Recurse -Force $storage }
    if (-not (Test-Path $VenvPython)) { Install-Dependencies }
    New-EnvFile
    Invoke-MigrateAndSeed
    New-Item -ItemType File -Force -Path $Marker | Out-Null
    Write-Step 'Reset complete. Start the API with .\run-local-dev.ps1'
    exit 0
}

if ($Setup) {
    Invoke-Setup
    Write-Step 'Setup complete. Start the API with .\run-local-dev.ps1'
    exit 0
}

Start-Api
