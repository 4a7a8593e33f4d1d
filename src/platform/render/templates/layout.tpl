{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="{{t_lang__code}}" dir="{{t_lang__dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}}</title>
<link rel="stylesheet" href="{{CSS_URL}}">
<link rel="icon" href="{{ICON_URL}}" type="image/svg+xml">
{{#MAP}}<link rel="stylesheet" href="{{LEAFLET_CSS}}">
<link rel="stylesheet" href="{{MAP_CSS}}">
{{/MAP}}</head>
<body>
<a class="skip-link" href="#main">{{t_layout__skip}}</a>
<header class="site-header">
<div class="wrap">
<a class="brand" href="/">{{t_site__name}}</a>
{{#HAS_SITE_NAME}}<a class="site-name" href="{{SITE_HREF}}">{{SITE_NAME}}</a>{{/HAS_SITE_NAME}}
<nav class="lang-switch" aria-label="{{t_layout__nav}}">
{{#SIGNED_IN}}<a href="/account">{{t_layout__account}}</a>{{/SIGNED_IN}}{{#SIGN_OUT}}
<form class="sign-out" method="post" action="/logout"><input type="hidden" name="csrf" value="{{SIGN_OUT_CSRF}}"><button type="submit">{{t_layout__sign_out}}</button></form>{{/SIGN_OUT}}{{#SIGNED_OUT}}<a href="/login">{{t_layout__login}}</a>{{/SIGNED_OUT}}
<a href="{{SWITCH_HREF}}" lang="{{t_lang__other_code}}" hreflang="{{t_lang__other_code}}">{{t_lang__other_name}}</a>
</nav>
</div>
</header>
<main id="main" class="wrap" tabindex="-1">
{{MAIN:none}}
</main>
<footer class="site-footer">
<div class="wrap">
<p>{{t_layout__footer}}</p>
</div>
</footer>
{{#MAP}}<script src="{{LEAFLET_JS}}" defer></script>
<script src="{{MAP_JS}}" defer id="map-script" data-tiles="{{MAP_TILES}}" data-attribution="{{MAP_ATTRIBUTION}}" data-icon="{{MAP_ICON}}" data-icon-2x="{{MAP_ICON_2X}}" data-shadow="{{MAP_SHADOW}}" data-hint="{{t_map__hint}}"></script>
{{/MAP}}</body>
</html>
