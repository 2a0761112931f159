@echo off
rem flamenco-worker launcher for Windows.
rem
rem Finds Java (JAVA_HOME, else PATH), refuses Java older than 17 (exit 2) and runs the worker. It never changes the
rem working directory: relative paths in arguments and in the configuration are resolved against the caller's
rem current directory.
rem
rem Environment:
rem   JAVA_HOME                  use %JAVA_HOME%\bin\java.exe instead of the first java.exe on PATH
rem   FLAMENCO_WORKER_JAVA_OPTS  JVM options; when set they REPLACE the defaults below
rem
rem Written with goto instead of ( ) blocks so that paths such as "C:\Program Files (x86)\..." cannot break it.

setlocal EnableExtensions DisableDelayedExpansion

set "DEFAULT_JAVA_OPTS=-XX:+UseSerialGC -Xms8m -Xmx64m -XX:TieredStopAtLevel=1 -Xss512k"
set "MAIN_CLASS=org.flamenco.worker.Main"
set "MIN_JAVA=17"

rem %~dp0 is this script's directory, with a trailing backslash.
for %%i in ("%~dp0..") do set "APP_HOME=%%~fi"
if not exist "%APP_HOME%\lib\" goto noLib

if not defined JAVA_HOME goto javaFromPath
set "JAVACMD=%JAVA_HOME%\bin\java.exe"
if exist "%JAVACMD%" goto checkVersion
echo flamenco-worker: JAVA_HOME is set to "%JAVA_HOME%" but "%JAVACMD%" does not exist; fix JAVA_HOME or unset it 1>&2
exit /b 2

:javaFromPath
set "JAVACMD=java.exe"
where /q java.exe
if not errorlevel 1 goto checkVersion
echo flamenco-worker: no java.exe on PATH and JAVA_HOME is not set; install Java %MIN_JAVA% or newer 1>&2
exit /b 2

:checkVersion
rem `java -version` prints e.g.: openjdk version "17.0.15" 2025-04-15 (third token, quotes stripped by %%~v).
set "JAVA_VERSION="
for /f "tokens=3" %%v in ('call "%JAVACMD%" -version 2^>^&1 ^| findstr /i /c:"version"') do if not defined JAVA_VERSION set "JAVA_VERSION=%%~v"
if not defined JAVA_VERSION goto unknownVersion
set "MAJOR="
set "MINOR="
for /f "tokens=1,2 delims=.-+_" %%a in ("%JAVA_VERSION%") do (set "MAJOR=%%a" & set "MINOR=%%b")
if "%MAJOR%"=="1" set "MAJOR=%MINOR%"
echo %MAJOR%| findstr /r /x "[0-9][0-9]*" >nul
if errorlevel 1 goto unknownVersion
if %MAJOR% GEQ %MIN_JAVA% goto run
echo flamenco-worker: Java %MIN_JAVA% or newer is required, but "%JAVACMD%" is version %JAVA_VERSION%; set JAVA_HOME to a Java %MIN_JAVA%+ installation 1>&2
exit /b 2

:unknownVersion
echo flamenco-worker: cannot tell the version of "%JAVACMD%"; Java %MIN_JAVA% or newer is required 1>&2
exit /b 2

:noLib
echo flamenco-worker: no lib\ directory in "%APP_HOME%"; the installation is incomplete 1>&2
exit /b 2

:run
set "JAVA_OPTS=%DEFAULT_JAVA_OPTS%"
if defined FLAMENCO_WORKER_JAVA_OPTS set "JAVA_OPTS=%FLAMENCO_WORKER_JAVA_OPTS%"
"%JAVACMD%" %JAVA_OPTS% -cp "%APP_HOME%\lib\*" %MAIN_CLASS% %*
exit /b %ERRORLEVEL%
