{{%AUTOESCAPE context="HTML"}}<h1>{{t_participation__verify__title}}</h1>
<p class="lead">{{t_participation__verify__intro}}</p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{>FORM}}
<h2 id="counter-vote">{{t_participation__counter__title}}</h2>
<p>{{t_participation__counter__intro}}</p>
{{#COUNTER_OK}}<div class="notice" role="status"><p>{{COUNTER_NOTICE}}</p></div>
{{/COUNTER_OK}}{{#COUNTER_REFUSED}}<div class="notice" role="alert"><p>{{COUNTER_NOTICE}}</p></div>
{{/COUNTER_REFUSED}}<form method="post" action="{{COUNTER_ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field"><label for="counter_national_id">{{t_participation__verify__national_id}}</label><input type="text" id="counter_national_id" name="national_id" inputmode="numeric" autocomplete="off" dir="ltr" required></div>
<div class="field"><label for="counter_code">{{t_participation__counter__code}}</label><input type="text" id="counter_code" name="code" autocomplete="off" dir="ltr" required></div>
<div class="field"><label for="counter_options">{{t_participation__counter__options}}</label><p class="hint" id="counter-options-hint">{{t_participation__counter__options_hint}}</p><input type="text" id="counter_options" name="options" autocomplete="off" dir="ltr" aria-describedby="counter-options-hint" required></div>
<button type="submit" class="button">{{t_participation__counter__submit}}</button></form>
