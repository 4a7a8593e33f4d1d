{{%AUTOESCAPE context="HTML"}}<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">{{t_form__errors_title}}</h2>
<ul>
{{#ERROR}}<li>{{#LINK}}<a href="{{HREF}}">{{MESSAGE}}</a>{{/LINK}}{{#PLAIN}}{{MESSAGE}}{{/PLAIN}}</li>
{{/ERROR}}</ul>
</div>
